/* fuzz_xlsx_frame.c - a sample frame uploaded as an .xlsx workbook
 * (sample/xlsx.c: zip, shared strings, the first worksheet). */
#include "fuzz.h"
#include "frame.h"
#include "xlsx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_table t;
	char err[256];
	memset(&t, 0, sizeof t);
	xlsx_read_table(data, size, &t, err, sizeof err);
	frame_table_free(&t);
	return 0;
}
