/* fuzz_csv_frame.c - a sample frame uploaded as CSV: the CSV reader
 * (core/csv.c) through frame_table_csv (sample/frame.c). */
#include "fuzz.h"
#include "frame.h"

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
	frame_table_csv((const char *)data, size, &t, err, sizeof err);
	frame_table_free(&t);
	return 0;
}
