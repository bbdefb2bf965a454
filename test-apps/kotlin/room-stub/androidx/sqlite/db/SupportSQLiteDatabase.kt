// STUB of androidx.sqlite.db.SupportSQLiteDatabase (see ../../../README.md): the subset the
// generated migrations call. The JUnit SQL test implements it over sqlite-jdbc.
package androidx.sqlite.db

import android.database.Cursor

interface SupportSQLiteDatabase {
    fun execSQL(sql: String)

    fun execSQL(
        sql: String,
        bindArgs: Array<out Any?>,
    )

    fun query(query: String): Cursor
}
