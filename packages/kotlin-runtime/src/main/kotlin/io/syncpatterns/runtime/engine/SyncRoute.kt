package io.syncpatterns.runtime.engine

import io.syncpatterns.runtime.sync.LiveTable

/** Where a write's parameter goes. */
enum class ParamLocation { PATH, QUERY, HEADER }

/**
 * One required parameter of a write operation (IR `Entity.bindings`): the item key, or a column
 * whose value is taken from the write's payload, else from the row as it stands when sent.
 */
data class RouteParam(
    val name: String,
    val location: ParamLocation,
    /** The column it is filled from; null = the row's primary key. */
    val column: String?,
)

/** The API operation that sends one kind of write (`POST /contacts`, `PATCH /contacts/{id}`, …). */
data class SyncRoute(
    val method: String,
    /** The path template below the API base URL, with `{name}` placeholders. */
    val path: String,
    val parameters: List<RouteParam> = emptyList(),
    /** The operation has a security requirement: the token goes with it. */
    val secured: Boolean = false,
)

/** A live table as the engine drives it: its schema and the routes of its writes (per-app data, generated). */
data class SyncTable(
    val table: LiveTable,
    val create: SyncRoute?,
    val update: SyncRoute?,
    val delete: SyncRoute?,
    /** The shape's `where` clause, when the app syncs a subset (null = every row). */
    val where: String? = null,
) {
    fun route(op: String): SyncRoute? =
        when (op) {
            "insert" -> create
            "update" -> update
            else -> delete
        }
}
