/*
 * json_int.h - what the parser (json.c) shares with the writer (json_write.c):
 * the two scanners both need, so that what the writer puts out is exactly what
 * the parser takes back in.  Not for use outside the JSON module.
 */
#ifndef MINIRUNC_JSON_INT_H
#define MINIRUNC_JSON_INT_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 if it is not one. */
size_t json_utf8_len(const unsigned char *s, size_t n);

/*
 * End of the RFC 8259 number starting at b[i], or 0 with *why and *where
 * saying what is wrong.
 */
size_t json_number_end(const unsigned char *b, size_t len, size_t i, const char **why,
		       size_t *where);

#endif
