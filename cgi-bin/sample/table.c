/*
 * table.c - rows of text cells (table.h).
 */
#include "table.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void frame_table_free(struct frame_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t k = 0; k < t->ncells[i]; k++)
			free(t->rows[i][k]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->ncells);
	free(t->line);
	memset(t, 0, sizeof *t);
}

void frame_table_add(struct frame_table *t, unsigned long line, char **cells, size_t n)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
		t->ncells = xrealloc(t->ncells, t->cap * sizeof *t->ncells);
		t->line = xrealloc(t->line, t->cap * sizeof *t->line);
	}
	t->rows[t->nrows] = cells;
	t->ncells[t->nrows] = n;
	t->line[t->nrows] = line;
	t->nrows++;
}
