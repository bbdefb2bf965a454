// STUB of androidx.room.InvalidationTracker (see ../../README.md): the subset the runtime's
// RoomSync calls, with Room 2.6's signatures. Compile-only.
package androidx.room

open class InvalidationTracker {
    /** Notified when one of [tables] changed (Room 2.6). */
    abstract class Observer(
        val tables: Array<out String>,
    ) {
        constructor(firstTable: String, vararg rest: String) : this(arrayOf(firstTable, *rest))

        abstract fun onInvalidated(tables: Set<String>)
    }

    open fun addObserver(observer: Observer) {}

    open fun removeObserver(observer: Observer) {}

    /** Re-reads the modified tables and notifies observers and Flow queries (Room 2.6). */
    open fun refreshVersionsAsync() {}
}
