// STUB of androidx.room.RoomDatabase (see ../../README.md): compile-only, not the real library.
package androidx.room

import androidx.sqlite.db.SupportSQLiteDatabase

abstract class RoomDatabase {
    /** Room's callback for database lifecycle events (signature of Room 2.6). */
    abstract class Callback {
        open fun onCreate(db: SupportSQLiteDatabase) {}

        open fun onOpen(db: SupportSQLiteDatabase) {}
    }
}
