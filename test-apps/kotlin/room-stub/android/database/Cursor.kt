// STUB of android.database.Cursor (see ../../README.md): the subset generated migrations and the
// runtime's RoomSqlDriver read.
package android.database

import java.io.Closeable

interface Cursor : Closeable {
    fun moveToNext(): Boolean

    fun getColumnIndex(columnName: String): Int

    fun getColumnCount(): Int

    fun getColumnName(columnIndex: Int): String

    fun getType(columnIndex: Int): Int

    fun getString(columnIndex: Int): String?

    fun getLong(columnIndex: Int): Long

    fun getDouble(columnIndex: Int): Double

    fun getBlob(columnIndex: Int): ByteArray?

    fun isNull(columnIndex: Int): Boolean

    companion object {
        const val FIELD_TYPE_NULL: Int = 0
        const val FIELD_TYPE_INTEGER: Int = 1
        const val FIELD_TYPE_FLOAT: Int = 2
        const val FIELD_TYPE_STRING: Int = 3
        const val FIELD_TYPE_BLOB: Int = 4
    }
}
