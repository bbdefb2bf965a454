// STUB of android.database.Cursor (see ../../README.md): the subset generated migrations read.
package android.database

import java.io.Closeable

interface Cursor : Closeable {
    fun moveToNext(): Boolean

    fun getColumnIndex(columnName: String): Int

    fun getString(columnIndex: Int): String?
}
