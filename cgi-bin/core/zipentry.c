/*
 * zipentry.c - whether a zip holds a named part (fileio.h). A file of its
 * own so that only the programs that check uploaded workbooks and
 * documents link libzip (tests/build/45-links.t): fileio.o is linked by
 * nearly every program.
 */
#include "fileio.h"

#include <zip.h>

int zip_has_entry(const void *data, size_t n, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za = NULL;
	int found;

	zip_error_init(&ze);
	if (file_magic(data, n) != FM_ZIP || !(src = zip_source_buffer_create(data, n, 0, &ze))) {
		zip_error_fini(&ze);
		return 0;
	}
	if (!(za = zip_open_from_source(src, ZIP_RDONLY, &ze)))
		zip_source_free(src);
	found = za && zip_name_locate(za, name, 0) >= 0;
	if (za)
		zip_discard(za);
	zip_error_fini(&ze);
	return found;
}
