// STUB of androidx.room.migration.Migration (see ../../../README.md): compile-only.
package androidx.room.migration

import androidx.sqlite.db.SupportSQLiteDatabase

abstract class Migration(
    @JvmField val startVersion: Int,
    @JvmField val endVersion: Int,
) {
    abstract fun migrate(db: SupportSQLiteDatabase)
}
