// The table-valued function `pare_rows`: an eponymous virtual table whose rows are read from memory the
// caller binds as a pointer (sqlite3_bind_pointer). An INSERT … SELECT from it runs one statement for any
// number of rows, with no bound parameter per value: the writer's rows go into the store with a fraction of
// SQLite's work per row for a multi-row VALUES list (statement steps, bindings, and the preparation of
// statements with thousands of parameters).
#include "CStoreRows.h"

#include <sqlite3.h>
#include <string.h>

static const char *const pointer_type = "pare_rows";

typedef struct {
    sqlite3_vtab base;
} rows_table;

typedef struct {
    sqlite3_vtab_cursor base;
    const pare_rows *rows;
    int64_t row;
} rows_cursor;

// c0 … c15, then the hidden argument.
#define ARGUMENT_COLUMN PARE_ROWS_MAX_COLUMNS

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **table,
                        char **error) {
    (void)aux, (void)argc, (void)argv, (void)error;
    int rc = sqlite3_declare_vtab(
        db, "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, rows HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    rows_table *t = sqlite3_malloc(sizeof *t);
    if (t == NULL) return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    *table = &t->base;
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *table) {
    sqlite3_free(table);
    return SQLITE_OK;
}

// The only plan: the hidden argument given by equality (`pare_rows(?)`); none without it.
static int rows_best_index(sqlite3_vtab *table, sqlite3_index_info *info) {
    (void)table;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *constraint = &info->aConstraint[i];
        if (constraint->iColumn != ARGUMENT_COLUMN || constraint->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (!constraint->usable) return SQLITE_CONSTRAINT;
        info->aConstraintUsage[i].argvIndex = 1;
        info->aConstraintUsage[i].omit = 1;
        info->estimatedCost = 1;
        return SQLITE_OK;
    }
    return SQLITE_CONSTRAINT;
}

static int rows_open(sqlite3_vtab *table, sqlite3_vtab_cursor **cursor) {
    (void)table;
    rows_cursor *c = sqlite3_malloc(sizeof *c);
    if (c == NULL) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *cursor = &c->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cursor) {
    sqlite3_free(cursor);
    return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *cursor, int index, const char *name, int argc, sqlite3_value **argv) {
    (void)index, (void)name;
    rows_cursor *c = (rows_cursor *)cursor;
    c->rows = argc > 0 ? sqlite3_value_pointer(argv[0], pointer_type) : NULL;
    c->row = 0;
    if (c->rows != NULL && (c->rows->columns < 0 || c->rows->columns > PARE_ROWS_MAX_COLUMNS)) {
        sqlite3_free(cursor->pVtab->zErrMsg);
        cursor->pVtab->zErrMsg = sqlite3_mprintf("pare_rows: %d columns", c->rows->columns);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cursor) {
    ((rows_cursor *)cursor)->row++;
    return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *cursor) {
    const rows_cursor *c = (const rows_cursor *)cursor;
    return c->rows == NULL || c->row >= c->rows->rows;
}

static int rows_column(sqlite3_vtab_cursor *cursor, sqlite3_context *context, int column) {
    const rows_cursor *c = (const rows_cursor *)cursor;
    const pare_rows *rows = c->rows;
    if (column >= rows->columns) {
        sqlite3_result_null(context);
        return SQLITE_OK;
    }
    int64_t value = rows->values[c->row * rows->columns + column];
    if (rows->text_columns >> column & 1) {
        // The bytes outlive the statement's run: SQLite need not copy them.
        sqlite3_result_text(context, (const char *)rows->bytes + (value >> 24), (int)(value & 0xFFFFFF), SQLITE_STATIC);
    } else {
        sqlite3_result_int64(context, value);
    }
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
    *rowid = ((const rows_cursor *)cursor)->row;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xCreate = NULL,  // eponymous only: no CREATE VIRTUAL TABLE
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xDestroy = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

int pare_rows_register(void *db) {
    return sqlite3_create_module_v2((sqlite3 *)db, "pare_rows", &rows_module, NULL, NULL);
}

int pare_rows_bind(void *statement, int index, const pare_rows *rows) {
    return sqlite3_bind_pointer((sqlite3_stmt *)statement, index, (void *)rows, pointer_type, NULL);
}
