/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-plist.h"

/* The property-list parser on files written by python3's plistlib
 * (tests/data/apple-mail/make-fixtures.py) and on the broken and hostile
 * seeds of its fuzz target. */

static MtcPlist *
parse_file (const char *first,
            const char *name,
            GError    **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, first, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return mtc_plist_parse (contents, length, error);
}

static void
assert_refused (const char *name,
                gint        code,
                const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) plist = parse_file ("fuzz/corpus/apple-plist", name, &error);

  g_test_message ("%s: %s", name, error != NULL ? error->message : "(parsed)");
  g_assert_null (plist);
  g_assert_error (error, MTC_PLIST_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_assert_nonnull (strstr (error->message, words));
}

static void
check_all_types (const MtcPlist *top,
                 gboolean        binary)
{
  gint64 number = 0;
  gboolean flag = FALSE;
  double real = 0;
  gsize length = 0;
  const guint8 *data;
  const MtcPlist *array;

  g_assert_cmpint (mtc_plist_get_kind (top), ==, MTC_PLIST_DICT);
  g_assert_cmpstr (mtc_plist_get_string (mtc_plist_lookup (top, "ascii")), ==, "imap.example.net");
  g_assert_cmpstr (mtc_plist_get_string (mtc_plist_lookup (top, "unicode")), ==, "Jürgen’s Konto ✉ 𝄞");
  g_assert_true (mtc_plist_get_integer (mtc_plist_lookup (top, "small"), &number));
  g_assert_cmpint (number, ==, 7);
  g_assert_true (mtc_plist_get_integer (mtc_plist_lookup (top, "two-bytes"), &number));
  g_assert_cmpint (number, ==, 993);
  g_assert_true (mtc_plist_get_integer (mtc_plist_lookup (top, "four-bytes"), &number));
  g_assert_cmpint (number, ==, 70000);
  g_assert_true (mtc_plist_get_integer (mtc_plist_lookup (top, "eight-bytes"), &number));
  g_assert_cmpint (number, ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_true (mtc_plist_get_integer (mtc_plist_lookup (top, "negative"), &number));
  g_assert_cmpint (number, ==, -5);
  g_assert_true (mtc_plist_get_real (mtc_plist_lookup (top, "real"), &real));
  g_assert_cmpfloat (real, ==, 1.5);
  g_assert_true (mtc_plist_get_boolean (mtc_plist_lookup (top, "true"), &flag));
  g_assert_true (flag);
  g_assert_true (mtc_plist_get_boolean (mtc_plist_lookup (top, "false"), &flag));
  g_assert_false (flag);
  /* 2014-10-16 12:00 UTC is 435153600 s after 2001-01-01. */
  g_assert_cmpint (mtc_plist_get_kind (mtc_plist_lookup (top, "date")), ==, MTC_PLIST_DATE);
  g_assert_true (mtc_plist_get_real (mtc_plist_lookup (top, "date"), &real));
  g_assert_cmpfloat (real, ==, 435153600.0);
  data = mtc_plist_get_data (mtc_plist_lookup (top, "data"), &length);
  g_assert_cmpmem (data, length, "\0\1\2binary", 9);

  array = mtc_plist_lookup (top, "array");
  g_assert_cmpuint (mtc_plist_get_length (array), ==, 3);
  g_assert_cmpstr (mtc_plist_get_string (mtc_plist_get_element (array, 0)), ==, "one");
  g_assert_cmpstr (mtc_plist_get_string (mtc_plist_lookup (mtc_plist_get_element (mtc_plist_get_element (array, 2), 1),
                                                           "deep")), ==, "value");
  g_assert_null (mtc_plist_get_element (array, 3));
  g_assert_cmpuint (mtc_plist_get_length (mtc_plist_lookup (top, "empty-dict")), ==, 0);
  g_assert_cmpint (mtc_plist_get_kind (mtc_plist_lookup (top, "empty-array")), ==, MTC_PLIST_ARRAY);
  g_assert_cmpuint (strlen (mtc_plist_get_string (mtc_plist_lookup (top, "long-string"))), ==, 40);

  /* Look-ups of the wrong kind or a missing key give nothing, chained. */
  g_assert_null (mtc_plist_lookup (top, "missing"));
  g_assert_null (mtc_plist_get_string (mtc_plist_lookup (top, "small")));
  g_assert_false (mtc_plist_get_integer (mtc_plist_lookup (top, "ascii"), &number));
  g_assert_null (mtc_plist_lookup (mtc_plist_lookup (top, "missing"), "x"));
  g_assert_cmpstr (mtc_plist_get_key (top, 0), ==, "ascii");

  if (binary)
    {
      g_assert_cmpint (mtc_plist_get_kind (mtc_plist_lookup (top, "uid")), ==, MTC_PLIST_UID);
      g_assert_true (mtc_plist_get_integer (mtc_plist_lookup (top, "uid"), &number));
      g_assert_cmpint (number, ==, 300);
    }
}

static void
test_all_types_xml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) top = parse_file ("data/apple-mail", "all-types.xml", &error);

  g_assert_no_error (error);
  check_all_types (top, FALSE);
}

static void
test_all_types_binary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) top = parse_file ("data/apple-mail", "all-types.bplist", &error);

  g_assert_no_error (error);
  check_all_types (top, TRUE);
}

static void
test_entities (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) top = parse_file ("fuzz/corpus/apple-plist", "entities.xml", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mtc_plist_get_string (mtc_plist_lookup (top, "a&b")), ==, "<😀>");
}

static void
test_broken (void)
{
  assert_refused ("truncated.bplist", MTC_PLIST_ERROR_INVALID, "damaged");
  assert_refused ("cycle.bplist", MTC_PLIST_ERROR_INVALID, "contains itself");
  assert_refused ("self-array.bplist", MTC_PLIST_ERROR_INVALID, "contains itself");
  assert_refused ("ref-past-end.bplist", MTC_PLIST_ERROR_INVALID, "past the last object");
  assert_refused ("huge-count.bplist", MTC_PLIST_ERROR_INVALID, "runs past");
  assert_refused ("lone-surrogate.bplist", MTC_PLIST_ERROR_INVALID, "UTF-16");
  assert_refused ("bad-trailer.bplist", MTC_PLIST_ERROR_INVALID, "top object");
  assert_refused ("key-without-value.xml", MTC_PLIST_ERROR_INVALID, "key without a value");
  assert_refused ("two-tops.xml", MTC_PLIST_ERROR_INVALID, "more than one value");
}

/* Every prefix of a binary list is refused with a sentence, or (the whole
 * file) parsed: no offset is trusted. */
static void
test_every_prefix (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "apple-mail", "all-types.bplist", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *copy = g_memdup2 (contents, cut);
      g_autoptr(MtcPlist) plist = mtc_plist_parse (copy, cut, &error);

      g_assert_null (plist);
      g_assert_nonnull (error);
    }
}

/* A 1.3 kB file that refers to itself into 255^4 values, nesting too deep,
 * and a file over the size limit: refused quickly, by the limits. */
static void
test_bounded (void)
{
  g_autofree char *big = g_malloc0 (MTC_PLIST_MAX_SIZE + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) plist = NULL;

  g_test_timer_start ();
  assert_refused ("bomb.bplist", MTC_PLIST_ERROR_TOO_LARGE, "more than");
  assert_refused ("deep.xml", MTC_PLIST_ERROR_TOO_LARGE, "levels deep");
  plist = mtc_plist_parse (big, MTC_PLIST_MAX_SIZE + 1, &error);
  g_assert_null (plist);
  g_assert_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_TOO_LARGE);
  g_test_message ("refused in %.3f s", g_test_timer_elapsed ());
  g_assert_cmpfloat (g_test_timer_elapsed (), <, 5.0);
}

static void
test_not_a_plist (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcPlist) plist = mtc_plist_parse ("\xff\xfe garbage", 10, &error);

  g_assert_null (plist);
  g_assert_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID);
  g_clear_error (&error);
  plist = mtc_plist_parse ("<html><body/></html>", 20, &error);
  g_assert_null (plist);
  g_assert_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a property list"));
  g_clear_error (&error);
  plist = mtc_plist_parse ("bplist01xxxxxxxx", 16, &error);
  g_assert_null (plist);
  g_assert_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mtc/plist/all-types/xml", test_all_types_xml);
  g_test_add_func ("/mtc/plist/all-types/binary", test_all_types_binary);
  g_test_add_func ("/mtc/plist/entities", test_entities);
  g_test_add_func ("/mtc/plist/broken", test_broken);
  g_test_add_func ("/mtc/plist/every-prefix", test_every_prefix);
  g_test_add_func ("/mtc/plist/bounded", test_bounded);
  g_test_add_func ("/mtc/plist/not-a-plist", test_not_a_plist);
  return g_test_run ();
}
