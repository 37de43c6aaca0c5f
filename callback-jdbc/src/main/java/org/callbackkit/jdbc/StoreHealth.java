package org.callbackkit.jdbc;

/**
 * What {@link JdbcCallbackStore#health()} found.
 *
 * @param databaseUp whether a connection came within the store's connection wait and answered
 */
public record StoreHealth(boolean databaseUp) {
}
