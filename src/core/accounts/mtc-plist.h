/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Apple's property lists, binary ("bplist00") and XML, read into a small
 * tree.  The parser reads outside input: every offset and count is checked
 * against the file, nesting is limited, cycles are refused, and the size of
 * the tree it builds is bounded (MTC_PLIST_MAX_*), so a hostile file costs
 * at most a bounded amount of time and memory. */

#define MTC_PLIST_ERROR (mtc_plist_error_quark ())

typedef enum {
  MTC_PLIST_ERROR_INVALID,     /* not a property list, or a damaged one */
  MTC_PLIST_ERROR_TOO_LARGE,   /* over one of the limits below */
} MtcPlistError;

/* The largest file read, the deepest nesting, the most values in one tree
 * and the most bytes of text and data in it (a binary list may refer to one
 * value many times; every reference counts). */
#define MTC_PLIST_MAX_SIZE (8 * 1024 * 1024)
#define MTC_PLIST_MAX_DEPTH 64
#define MTC_PLIST_MAX_VALUES 100000
#define MTC_PLIST_MAX_BYTES (16 * 1024 * 1024)

typedef enum {
  MTC_PLIST_STRING,
  MTC_PLIST_INTEGER,
  MTC_PLIST_REAL,
  MTC_PLIST_BOOLEAN,
  MTC_PLIST_DATE,              /* seconds since 2001-01-01 00:00 UTC */
  MTC_PLIST_DATA,
  MTC_PLIST_ARRAY,             /* and the sets of binary lists */
  MTC_PLIST_DICT,
  MTC_PLIST_UID,               /* keyed archives' object references */
  MTC_PLIST_NULL,              /* binary lists only */
} MtcPlistType;

typedef struct _MtcPlist MtcPlist;

GQuark          mtc_plist_error_quark  (void);

/* Parses DATA (LENGTH bytes), binary when it starts with "bplist00", XML
 * otherwise.  Returns the top value, or NULL with ERROR set to an English
 * sentence saying what is wrong. */
MtcPlist       *mtc_plist_parse        (const char  *data,
                                        gsize        length,
                                        GError     **error);
void            mtc_plist_free         (MtcPlist    *plist);

MtcPlistType    mtc_plist_get_kind     (const MtcPlist *plist);

/* A dictionary's value for KEY (the first, if a file has it twice), an
 * array's or a dictionary's element I, or NULL: also when PLIST is NULL or
 * of another kind, so that look-ups can be chained. */
const MtcPlist *mtc_plist_lookup       (const MtcPlist *plist,
                                        const char     *key);
gsize           mtc_plist_get_length   (const MtcPlist *plist);
const MtcPlist *mtc_plist_get_element  (const MtcPlist *plist,
                                        gsize           i);
const char     *mtc_plist_get_key      (const MtcPlist *plist,
                                        gsize           i);

/* The value, or NULL / FALSE when PLIST is NULL or of another kind.  Strings
 * are valid UTF-8 without NUL characters. */
const char     *mtc_plist_get_string   (const MtcPlist *plist);
gboolean        mtc_plist_get_integer  (const MtcPlist *plist,
                                        gint64         *value);
gboolean        mtc_plist_get_boolean  (const MtcPlist *plist,
                                        gboolean       *value);
gboolean        mtc_plist_get_real     (const MtcPlist *plist,
                                        double         *value);
const guint8   *mtc_plist_get_data     (const MtcPlist *plist,
                                        gsize          *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcPlist, mtc_plist_free)

G_END_DECLS
