// STUB of androidx.sqlite.db.SupportSQLiteDatabase (see ../../../README.md): the subset the
// generated migrations and the runtime's RoomSqlDriver call. The JUnit tests implement it over
// sqlite-jdbc (a test double of the Android driver).
package androidx.sqlite.db

import android.database.Cursor

interface SupportSQLiteDatabase {
    fun execSQL(sql: String)

    fun execSQL(
        sql: String,
        bindArgs: Array<out Any?>,
    )

    fun query(query: String): Cursor

    fun query(
        query: String,
        bindArgs: Array<out Any?>,
    ): Cursor

    fun beginTransaction()

    fun setTransactionSuccessful()

    fun endTransaction()
}
