// STUB of androidx.room.RoomDatabase (see ../../README.md): compile-only, not the real library.
package androidx.room

import androidx.sqlite.db.SupportSQLiteDatabase
import androidx.sqlite.db.SupportSQLiteOpenHelper

abstract class RoomDatabase {
    /** Room's callback for database lifecycle events (signature of Room 2.6). */
    abstract class Callback {
        open fun onCreate(db: SupportSQLiteDatabase) {}

        open fun onOpen(db: SupportSQLiteDatabase) {}
    }

    /** The SQLite helper of the database (Room 2.6: `open val openHelper`). */
    open val openHelper: SupportSQLiteOpenHelper
        get() = throw UnsupportedOperationException("Room stub: compile-only")

    /** Room's table-change tracker (Room 2.6: `open val invalidationTracker`). */
    open val invalidationTracker: InvalidationTracker
        get() = throw UnsupportedOperationException("Room stub: compile-only")
}
