#ifndef PARE_CSTOREROWS_H
#define PARE_CSTOREROWS_H

#include <stdint.h>

/// Rows handed to SQLite without a statement parameter per value: `SELECT c0, c1, … FROM pare_rows(?)`
/// yields them, the parameter bound with `pare_rows_bind`. Each value is an integer, or in a column whose
/// bit is set in `text_columns` text: `offset << 24 | length` into `bytes`.
typedef struct {
    int64_t rows;
    int32_t columns;
    uint32_t text_columns;
    const int64_t *values;
    const uint8_t *bytes;
} pare_rows;

/// The most columns a row has.
#define PARE_ROWS_MAX_COLUMNS 16

/// Registers the table-valued function `pare_rows` on the connection `db` (a `sqlite3 *`): SQLite's
/// result code.
int pare_rows_register(void *db);

/// Binds `rows` to the parameter `index` of the statement `statement` (a `sqlite3_stmt *`); the rows must
/// stay valid while the statement runs. SQLite's result code.
int pare_rows_bind(void *statement, int index, const pare_rows *rows);

/// Starts loading the cache line at `address` (a hint: no fault, whatever the address): for the writer's
/// hash tables, probed at random, whose next probes are known ahead.
static inline void pare_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
