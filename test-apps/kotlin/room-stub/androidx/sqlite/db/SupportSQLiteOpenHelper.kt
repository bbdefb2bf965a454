// STUB of androidx.sqlite.db.SupportSQLiteOpenHelper (see ../../../README.md): compile-only.
package androidx.sqlite.db

interface SupportSQLiteOpenHelper {
    val writableDatabase: SupportSQLiteDatabase
}
