package org.callbackkit.jdbc;

/**
 * What {@link JdbcCallbackStore#health()} found.
 *
 * @param databaseUp whether a connection came within the store's connection wait and answered
 * @param journalSpooled journal entries waiting in memory for the database, written when it returns
 * @param journalDropped journal entries lost since the store started, because more waited than
 *     {@link JdbcCallbackStore.Builder#journalSpoolCapacity(int)} allows: callbacks that were
 *     answered but that the journal cannot show
 * @param unrecordedActionEnds delayed actions that ran but whose end (done, retry, dead) the
 *     database could not take; recorded when it returns, so their rows are released then
 */
public record StoreHealth(boolean databaseUp, int journalSpooled, long journalDropped, int unrecordedActionEnds) {
}
