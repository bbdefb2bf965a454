package io.syncpatterns.runtime.sync

/**
 * Mapping local (Room) rows to model types. A pending local insert lacks what only the server
 * sets (`created_at`, a version, …): those fields are nullable in the model (null until the
 * server has stored the row), and a client field the create omitted takes the spec's default in
 * the generated `toModel()`. Nothing is invented; any other NULL where the model requires a value
 * is an error naming the column ([required]).
 */
object LocalRows {
    /** A required column's value, or a clear error naming it (a row the view should not show). */
    fun <T : Any> required(
        value: T?,
        table: String,
        column: String,
    ): T = value ?: throw IllegalStateException("$table: column $column is null in a local row, but the model requires it")
}
