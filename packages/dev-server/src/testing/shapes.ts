/**
 * Test support for the official Electric client: a ShapeStream with a fast retry backoff whose
 * messages are all recorded, so tests can assert on exactly what the client received.
 */
import {
  isChangeMessage,
  isControlMessage,
  ShapeStream,
  type ChangeMessage,
  type Message,
  type Row,
} from '@electric-sql/client';
import { TOKEN } from './backends.js';

export const FAST_BACKOFF = { initialDelay: 20, maxDelay: 200, multiplier: 1.5 };

export interface RecordedStream {
  stream: ShapeStream<Row>;
  messages: Message<Row>[];
  changes(): ChangeMessage<Row>[];
  controls(): string[];
  stop(): void;
}

type StreamOptions = ConstructorParameters<typeof ShapeStream<Row>>[0];
type ShapeParams = NonNullable<StreamOptions['params']>;

export function recordStream(
  url: string,
  params: Record<string, string | string[] | Record<string, string>>,
  extra: Partial<StreamOptions> = {},
): RecordedStream {
  const abort = new AbortController();
  const options: StreamOptions = {
    url: `${url}/v1/shape`,
    params: params as ShapeParams,
    backoffOptions: FAST_BACKOFF,
    headers: { ...TOKEN },
    signal: abort.signal,
    ...extra,
  };
  const stream = new ShapeStream<Row>(options);
  const messages: Message<Row>[] = [];
  stream.subscribe(
    (batch) => {
      messages.push(...batch);
    },
    () => undefined,
  );
  return {
    stream,
    messages,
    changes: () => messages.filter((m): m is ChangeMessage<Row> => isChangeMessage(m)),
    controls: () => messages.filter(isControlMessage).map((m) => m.headers.control),
    stop: () => abort.abort(),
  };
}
