export function Alert({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div className="alert" role="alert" data-testid="error">
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <p>{message}</p>
      <button type="button" className="ghost" onClick={onDismiss} aria-label="Dismiss error">
        ✕
      </button>
    </div>
  );
}
