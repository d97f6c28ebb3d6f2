/*
 * lazylib.c - cairo and libqrencode on first use (lazylib.h).
 */
#define LAZYLIB_LOADER
#include "lazylib.h"
#include "log.h"

#include <dlfcn.h>
#include <stddef.h>

struct lazylib lazylib;

/* The Debian 12 sonames the drawing modules were compiled against. */
static const char *const libs[] = { "libcairo.so.2", "libqrencode.so.4" };

/* Each library, opened once: its own symbols only (RTLD_LOCAL). */
static int open_all(void *h[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h[i] = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
		if (!h[i]) {
			log_err("lazylib: %s", dlerror());
			return -1;
		}
	}
	return 0;
}

/* The function called name in one of the libraries, or NULL (logged). */
static void *find(void *const h[], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h[i], name);
		if (p)
			return p;
	}
	log_err("lazylib: no %s in cairo or libqrencode", name);
	return NULL;
}

int lazylib_load(void)
{
	static int state;   /* 0: not tried; 1: loaded; -1: failed, for good */
	void *h[sizeof libs / sizeof libs[0]];
	size_t n = sizeof libs / sizeof libs[0];

	if (state)
		return state > 0 ? 0 : -1;
	state = -1;
	if (open_all(h, n) < 0)
		return -1;
	/* POSIX's way to store dlsym's answer in a function pointer. */
#define LAZYLIB_FIND(f) \
	if (!(*(void **)&lazylib.f = find(h, n, #f))) \
		return -1;
	LAZYLIB_SYMS(LAZYLIB_FIND)
#undef LAZYLIB_FIND
	state = 1;
	return 0;
}
