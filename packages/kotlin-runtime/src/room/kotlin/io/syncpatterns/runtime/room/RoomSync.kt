package io.syncpatterns.runtime.room

import androidx.room.InvalidationTracker
import androidx.room.RoomDatabase
import io.syncpatterns.runtime.engine.SyncConfig
import io.syncpatterns.runtime.engine.SyncEngine
import io.syncpatterns.runtime.engine.SyncTable
import io.syncpatterns.runtime.http.ApiCore
import kotlinx.coroutines.CoroutineScope

/** Wires the runtime's [SyncEngine] to a Room database (what each app's generated `LiveSync.engine` calls). */
object RoomSync {
    /**
     * The engine of [database]: SQL through [RoomSqlDriver] (its commits refresh Room's Flow
     * queries), and every write the DAOs append to `_sync_outbox` wakes the outbox drainer at once.
     */
    fun engine(
        database: RoomDatabase,
        tables: List<SyncTable>,
        api: ApiCore,
        scope: CoroutineScope,
        config: SyncConfig = SyncConfig(),
    ): SyncEngine {
        val engine = SyncEngine(RoomSqlDriver(database), tables, api, scope, config)
        database.invalidationTracker.addObserver(
            object : InvalidationTracker.Observer("_sync_outbox") {
                override fun onInvalidated(tables: Set<String>) = engine.notifyLocalWrite()
            },
        )
        return engine
    }
}
