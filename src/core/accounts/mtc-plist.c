/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mtc-plist.h"
#include "mtc-quote.h"

/* Both formats as Apple's CoreFoundation writes them: the binary format as
 * described at the top of CFBinaryPList.c (github.com/opensource-apple/CF: a
 * header "bplist00", the objects, an offset table, and a 32-byte trailer with the
 * sizes of offsets and object references, the number of objects, the top
 * object and where the offset table starts), the XML format as in Apple's
 * DTD "-//Apple//DTD PLIST 1.0//EN".
 *
 * A little over 800 lines: both formats build the same tree under the same
 * limits (Budget, too_deep), which is easier to check in one file than in
 * three. */

struct _MtcPlist {
  MtcPlistType kind;
  union {
    gboolean boolean;
    gint64 integer;              /* integers and UIDs */
    double real;                 /* reals and dates */
    char *string;
    GBytes *data;
    struct {
      GPtrArray *values;         /* MtcPlist */
      GPtrArray *keys;           /* char *, dictionaries only */
    } container;
  } v;
};

/* What one parse may still build: MTC_PLIST_MAX_VALUES values and
 * MTC_PLIST_MAX_BYTES bytes of text and data. */
typedef struct {
  gsize values;
  gsize bytes;
} Budget;

G_DEFINE_QUARK (mtc-plist-error-quark, mtc_plist_error)

static MtcPlist *
plist_new (MtcPlistType kind)
{
  MtcPlist *plist = g_new0 (MtcPlist, 1);

  plist->kind = kind;
  if (kind == MTC_PLIST_ARRAY || kind == MTC_PLIST_DICT)
    plist->v.container.values = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_plist_free);
  if (kind == MTC_PLIST_DICT)
    plist->v.container.keys = g_ptr_array_new_with_free_func (g_free);
  return plist;
}

static gboolean
spend (Budget  *budget,
       gsize    values,
       gsize    bytes,
       GError **error)
{
  if (values > MTC_PLIST_MAX_VALUES - budget->values || bytes > MTC_PLIST_MAX_BYTES - budget->bytes)
    {
      g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_TOO_LARGE,
                   "The property list holds more than %u values or %u bytes of text, more than any settings file.",
                   (guint) MTC_PLIST_MAX_VALUES, (guint) MTC_PLIST_MAX_BYTES);
      return FALSE;
    }
  budget->values += values;
  budget->bytes += bytes;
  return TRUE;
}

static gboolean
too_deep (guint    depth,
          GError **error)
{
  if (depth < MTC_PLIST_MAX_DEPTH)
    return FALSE;
  g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_TOO_LARGE,
               "The property list nests more than %u levels deep.", (guint) MTC_PLIST_MAX_DEPTH);
  return TRUE;
}

/* Takes TEXT (LENGTH bytes, UTF-8) as a string value, or refuses it. */
static gboolean
take_text (const char *text,
           gsize       length,
           char      **out,
           GError    **error)
{
  if (!g_utf8_validate_len (text, length, NULL) || memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID,
                   "The property list holds a string that is not valid text.");
      return FALSE;
    }
  *out = g_strndup (text, length);
  return TRUE;
}

/* ---- The binary format ---- */

typedef struct {
  const guint8 *data;
  gsize length;
  guint offset_size;
  guint ref_size;
  guint64 n_objects;
  gsize table_start;             /* where the offset table starts */
  guint8 *visiting;              /* per object: on the path from the top */
  Budget budget;
} Binary;

static gboolean
binary_broken (GError    **error,
               const char *what)
{
  g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID,
               "The binary property list is damaged: %s.", what);
  return FALSE;
}

static guint64
read_be (const guint8 *p,
         guint         size)
{
  guint64 value = 0;

  for (guint i = 0; i < size; i++)
    value = (value << 8) | p[i];
  return value;
}

/* Whether SIZE bytes from OFFSET lie in the object area (before the offset
 * table). */
static gboolean
inside (const Binary *bin,
        guint64       offset,
        guint64       size)
{
  return offset <= bin->table_start && size <= bin->table_start - offset;
}

/* An object's count: the marker's low nibble, or when it is 0xF the integer
 * object that follows.  *POS moves past it. */
static gboolean
read_count (const Binary *bin,
            guint8        marker,
            guint64      *pos,
            guint64      *count,
            GError      **error)
{
  guint8 int_marker;
  guint size;

  if ((marker & 0x0F) != 0x0F)
    {
      *count = marker & 0x0F;
      return TRUE;
    }
  if (!inside (bin, *pos, 1))
    return binary_broken (error, "a count runs past the objects");
  int_marker = bin->data[*pos];
  if ((int_marker & 0xF0) != 0x10 || (int_marker & 0x0F) > 3)
    return binary_broken (error, "a count is not an integer");
  size = 1u << (int_marker & 0x0F);
  if (!inside (bin, *pos + 1, size))
    return binary_broken (error, "a count runs past the objects");
  *count = read_be (bin->data + *pos + 1, size);
  *pos += 1 + size;
  return TRUE;
}

static gboolean
object_offset (const Binary *bin,
               guint64       index,
               guint64      *offset,
               GError      **error)
{
  if (index >= bin->n_objects)
    return binary_broken (error, "an object reference points past the last object");
  *offset = read_be (bin->data + bin->table_start + index * bin->offset_size, bin->offset_size);
  if (*offset < 8 || *offset >= bin->table_start)
    return binary_broken (error, "an object's offset lies outside the objects");
  return TRUE;
}

static MtcPlist *binary_object (Binary *bin, guint64 index, guint depth, GError **error);

static MtcPlist *
binary_string (Binary      *bin,
               const guint8 *p,
               guint64      count,
               gboolean     utf16,
               GError     **error)
{
  g_autoptr(MtcPlist) plist = plist_new (MTC_PLIST_STRING);

  if (!utf16)
    {
      if (!spend (&bin->budget, 0, count, error) ||
          !take_text ((const char *) p, count, &plist->v.string, error))
        return NULL;
    }
  else
    {
      g_autofree gunichar2 *units = g_new (gunichar2, count + 1);
      g_autofree char *text = NULL;
      glong written = 0;

      for (guint64 i = 0; i < count; i++)
        units[i] = (gunichar2) read_be (p + 2 * i, 2);
      text = g_utf16_to_utf8 (units, (glong) count, NULL, &written, NULL);
      if (text == NULL)
        {
          binary_broken (error, "a UTF-16 string is not valid text");
          return NULL;
        }
      if (!spend (&bin->budget, 0, written, error) ||
          !take_text (text, written, &plist->v.string, error))
        return NULL;
    }
  return g_steal_pointer (&plist);
}

static MtcPlist *
binary_container (Binary  *bin,
                  guint64  pos,
                  guint64  count,
                  gboolean dict,
                  guint    depth,
                  GError **error)
{
  g_autoptr(MtcPlist) plist = plist_new (dict ? MTC_PLIST_DICT : MTC_PLIST_ARRAY);
  guint64 refs = dict ? 2 * count : count;   /* no overflow: see the check below */

  if (count > bin->length || !inside (bin, pos, refs * bin->ref_size))
    {
      binary_broken (error, "a list of references runs past the objects");
      return NULL;
    }
  for (guint64 i = 0; i < count; i++)
    {
      guint64 value_ref = read_be (bin->data + pos + (dict ? count + i : i) * bin->ref_size, bin->ref_size);
      MtcPlist *value;

      if (dict)
        {
          guint64 key_ref = read_be (bin->data + pos + i * bin->ref_size, bin->ref_size);
          g_autoptr(MtcPlist) key = binary_object (bin, key_ref, depth + 1, error);

          if (key == NULL)
            return NULL;
          if (key->kind != MTC_PLIST_STRING)
            {
              binary_broken (error, "a dictionary key is not a string");
              return NULL;
            }
          g_ptr_array_add (plist->v.container.keys, g_steal_pointer (&key->v.string));
        }
      value = binary_object (bin, value_ref, depth + 1, error);
      if (value == NULL)
        return NULL;
      g_ptr_array_add (plist->v.container.values, value);
    }
  return g_steal_pointer (&plist);
}

static MtcPlist *
binary_object_at (Binary  *bin,
                  guint64  offset,
                  guint    depth,
                  GError **error)
{
  guint8 marker = bin->data[offset];
  guint8 info = marker & 0x0F;
  guint64 pos = offset + 1;
  guint64 count = 0;
  g_autoptr(MtcPlist) plist = NULL;

  switch (marker >> 4)
    {
    case 0x0:
      if (marker == 0x08 || marker == 0x09)
        {
          plist = plist_new (MTC_PLIST_BOOLEAN);
          plist->v.boolean = marker == 0x09;
        }
      else if (marker == 0x00)
        plist = plist_new (MTC_PLIST_NULL);
      else
        binary_broken (error, "an object has an unknown type");
      break;

    case 0x1:                    /* integer of 2^n bytes, big-endian */
      if (info > 4 || !inside (bin, pos, 1u << info))
        binary_broken (error, "an integer runs past the objects");
      else if (info == 4 && read_be (bin->data + pos, 8) != 0)
        binary_broken (error, "an integer is larger than 64 bits");
      else
        {
          guint64 value = info == 4 ? read_be (bin->data + pos + 8, 8) : read_be (bin->data + pos, 1u << info);

          if (info == 4 && value > G_MAXINT64)
            binary_broken (error, "an integer is larger than 64 bits");
          else
            {
              plist = plist_new (MTC_PLIST_INTEGER);
              plist->v.integer = (gint64) value;   /* 8-byte integers are signed */
            }
        }
      break;

    case 0x2:                    /* real: float or double */
    case 0x3:                    /* date: a double */
      if ((marker >> 4) == 0x3 ? marker != 0x33 : (info != 2 && info != 3))
        binary_broken (error, "a number has an unknown size");
      else if (!inside (bin, pos, 1u << info))
        binary_broken (error, "a number runs past the objects");
      else
        {
          guint64 bits = read_be (bin->data + pos, 1u << info);

          plist = plist_new ((marker >> 4) == 0x3 ? MTC_PLIST_DATE : MTC_PLIST_REAL);
          if (info == 2)
            {
              guint32 bits32 = (guint32) bits;
              float f;

              memcpy (&f, &bits32, sizeof f);
              plist->v.real = f;
            }
          else
            memcpy (&plist->v.real, &bits, sizeof plist->v.real);
        }
      break;

    case 0x4:                    /* data */
    case 0x5:                    /* ASCII string */
    case 0x6:                    /* UTF-16 string (count in code units) */
      if (!read_count (bin, marker, &pos, &count, error))
        break;
      if (count > bin->length || !inside (bin, pos, (marker >> 4) == 0x6 ? 2 * count : count))
        {
          binary_broken (error, "a string or data runs past the objects");
          break;
        }
      if ((marker >> 4) == 0x4)
        {
          if (spend (&bin->budget, 0, count, error))
            {
              plist = plist_new (MTC_PLIST_DATA);
              plist->v.data = g_bytes_new (bin->data + pos, count);
            }
        }
      else
        return binary_string (bin, bin->data + pos, count, (marker >> 4) == 0x6, error);
      break;

    case 0x8:                    /* UID of n + 1 bytes */
      if (info > 7 || !inside (bin, pos, info + 1))
        binary_broken (error, "a UID runs past the objects");
      else
        {
          plist = plist_new (MTC_PLIST_UID);
          plist->v.integer = (gint64) read_be (bin->data + pos, info + 1);
        }
      break;

    case 0xA:                    /* array */
    case 0xC:                    /* set */
    case 0xD:                    /* dictionary: the keys' references, then the values' */
      if (read_count (bin, marker, &pos, &count, error))
        return binary_container (bin, pos, count, (marker >> 4) == 0xD, depth, error);
      break;

    default:
      binary_broken (error, "an object has an unknown type");
      break;
    }
  return g_steal_pointer (&plist);
}

static MtcPlist *
binary_object (Binary  *bin,
               guint64  index,
               guint    depth,
               GError **error)
{
  guint64 offset;
  MtcPlist *plist;

  if (too_deep (depth, error) || !object_offset (bin, index, &offset, error))
    return NULL;
  if (bin->visiting[index])
    {
      binary_broken (error, "an object contains itself");
      return NULL;
    }
  /* One value per reference: strings and data spend their bytes when they
   * know them. */
  if (!spend (&bin->budget, 1, 0, error))
    return NULL;
  bin->visiting[index] = 1;
  plist = binary_object_at (bin, offset, depth, error);
  bin->visiting[index] = 0;
  if (plist == NULL && error != NULL && *error == NULL)
    binary_broken (error, "an object cannot be read");
  return plist;
}

static MtcPlist *
parse_binary (const guint8 *data,
              gsize         length,
              GError      **error)
{
  const guint8 *trailer;
  Binary bin = { data, length, 0, 0, 0, 0, NULL, { 0, 0 } };
  guint64 top, table_start;
  MtcPlist *plist;
  GError *local_error = NULL;

  /* The header, at least one object, and the trailer. */
  if (length < 8 + 1 + 32)
    {
      binary_broken (error, "the file is too short");
      return NULL;
    }
  trailer = data + length - 32;
  bin.offset_size = trailer[6];
  bin.ref_size = trailer[7];
  bin.n_objects = read_be (trailer + 8, 8);
  top = read_be (trailer + 16, 8);
  table_start = read_be (trailer + 24, 8);

  if (bin.offset_size < 1 || bin.offset_size > 8 || bin.ref_size < 1 || bin.ref_size > 8)
    {
      binary_broken (error, "the sizes in its trailer are impossible");
      return NULL;
    }
  if (bin.n_objects == 0 || top >= bin.n_objects)
    {
      binary_broken (error, "its trailer names no top object");
      return NULL;
    }
  if (table_start < 9 || table_start > length - 32 ||
      bin.n_objects > (length - 32 - table_start) / bin.offset_size)
    {
      binary_broken (error, "the offset table lies outside the file");
      return NULL;
    }
  bin.table_start = table_start;
  bin.visiting = g_new0 (guint8, bin.n_objects);
  plist = binary_object (&bin, top, 0, &local_error);
  g_free (bin.visiting);
  if (plist == NULL)
    g_propagate_error (error, local_error);
  return plist;
}

/* ---- The XML format ---- */

typedef struct {
  GPtrArray *stack;              /* MtcPlist: the open arrays and dictionaries */
  MtcPlist *top;
  char *key;                     /* a dictionary's key waiting for its value */
  GString *text;
  const char *element;           /* the open scalar element, or NULL */
  gboolean in_plist;
  Budget budget;
} Xml;

static const char *const xml_scalars[] = {
  "key", "string", "integer", "real", "true", "false", "date", "data",
};

static gboolean
xml_broken (GError    **error,
            const char *what)
{
  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "%s", what);
  return FALSE;
}

/* Puts VALUE where it belongs: the top, the open array, or the open
 * dictionary under the waiting key. */
static gboolean
xml_place (Xml      *xml,
           MtcPlist *value,
           GError  **error)
{
  MtcPlist *parent = xml->stack->len > 0 ? g_ptr_array_index (xml->stack, xml->stack->len - 1) : NULL;

  if (parent == NULL)
    {
      if (xml->top != NULL)
        {
          mtc_plist_free (value);
          return xml_broken (error, "the property list holds more than one value at its top");
        }
      xml->top = value;
      return TRUE;
    }
  if (parent->kind == MTC_PLIST_DICT)
    {
      if (xml->key == NULL)
        {
          mtc_plist_free (value);
          return xml_broken (error, "a dictionary holds a value without a key");
        }
      g_ptr_array_add (parent->v.container.keys, g_steal_pointer (&xml->key));
    }
  g_ptr_array_add (parent->v.container.values, value);
  return TRUE;
}

static void
xml_start_element (GMarkupParseContext  *context,
                   const char           *element,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  Xml *xml = user_data;
  MtcPlist *parent = xml->stack->len > 0 ? g_ptr_array_index (xml->stack, xml->stack->len - 1) : NULL;
  gboolean is_key = strcmp (element, "key") == 0;

  if (!xml->in_plist)
    {
      if (strcmp (element, "plist") != 0)
        xml_broken (error, "the file is not a property list");
      xml->in_plist = TRUE;
      return;
    }
  if (xml->element != NULL)
    {
      xml_broken (error, "a value holds another element");
      return;
    }
  if (xml->top != NULL && parent == NULL)
    {
      xml_broken (error, "the property list holds more than one value at its top");
      return;
    }
  if (is_key != (parent != NULL && parent->kind == MTC_PLIST_DICT && xml->key == NULL))
    {
      xml_broken (error, is_key ? "a key stands outside a dictionary or without a value"
                                : "a dictionary holds a value without a key");
      return;
    }
  if (strcmp (element, "array") == 0 || strcmp (element, "dict") == 0)
    {
      MtcPlist *container;

      if (too_deep (xml->stack->len, error) || !spend (&xml->budget, 1, 0, error))
        return;
      container = plist_new (element[0] == 'a' ? MTC_PLIST_ARRAY : MTC_PLIST_DICT);
      if (!xml_place (xml, container, error))
        return;
      g_ptr_array_add (xml->stack, container);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (xml_scalars); i++)
    if (strcmp (element, xml_scalars[i]) == 0)
      {
        xml->element = xml_scalars[i];
        g_string_truncate (xml->text, 0);
        return;
      }
  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
               "the property list holds an element it may not hold");
}

static MtcPlist *
xml_scalar (Xml        *xml,
            const char *element,
            GString    *text,
            GError    **error)
{
  g_autoptr(MtcPlist) plist = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) epoch = NULL;
  char *end = NULL;

  if (!spend (&xml->budget, 1, text->len, error))
    return NULL;
  if (strcmp (element, "string") == 0)
    {
      plist = plist_new (MTC_PLIST_STRING);
      if (!take_text (text->str, text->len, &plist->v.string, error))
        return NULL;
    }
  else if (strcmp (element, "true") == 0 || strcmp (element, "false") == 0)
    {
      plist = plist_new (MTC_PLIST_BOOLEAN);
      plist->v.boolean = element[0] == 't';
    }
  else if (strcmp (element, "integer") == 0)
    {
      plist = plist_new (MTC_PLIST_INTEGER);
      if (!g_ascii_string_to_signed (g_strstrip (text->str), 10, G_MININT64, G_MAXINT64,
                                     &plist->v.integer, NULL))
        {
          xml_broken (error, "an integer is not a whole number or is too large");
          return NULL;
        }
    }
  else if (strcmp (element, "real") == 0)
    {
      plist = plist_new (MTC_PLIST_REAL);
      plist->v.real = g_ascii_strtod (g_strstrip (text->str), &end);
      if (end == text->str || *end != '\0')
        {
          xml_broken (error, "a real number is not a number");
          return NULL;
        }
    }
  else if (strcmp (element, "date") == 0)
    {
      plist = plist_new (MTC_PLIST_DATE);
      date = g_date_time_new_from_iso8601 (g_strstrip (text->str), NULL);
      epoch = g_date_time_new_utc (2001, 1, 1, 0, 0, 0);
      if (date == NULL)
        {
          xml_broken (error, "a date is not an ISO 8601 date");
          return NULL;
        }
      plist->v.real = g_date_time_difference (date, epoch) / (double) G_TIME_SPAN_SECOND;
    }
  else                           /* data: base64, with any white space */
    {
      GString *clean = g_string_sized_new (text->len);
      guchar *bytes;
      gsize length = 0;

      for (gsize i = 0; i < text->len; i++)
        if (g_ascii_isalnum (text->str[i]) || text->str[i] == '+' || text->str[i] == '/' || text->str[i] == '=')
          g_string_append_c (clean, text->str[i]);
        else if (!g_ascii_isspace (text->str[i]))
          {
            g_string_free (clean, TRUE);
            xml_broken (error, "data is not in base64");
            return NULL;
          }
      bytes = g_base64_decode (clean->str, &length);
      g_string_free (clean, TRUE);
      plist = plist_new (MTC_PLIST_DATA);
      plist->v.data = g_bytes_new_take (bytes, length);
    }
  return g_steal_pointer (&plist);
}

static void
xml_end_element (GMarkupParseContext  *context,
                 const char           *element,
                 gpointer              user_data,
                 GError              **error)
{
  Xml *xml = user_data;
  MtcPlist *value;

  if (xml->element != NULL)
    {
      xml->element = NULL;
      if (strcmp (element, "key") == 0)
        {
          if (!spend (&xml->budget, 0, xml->text->len, error))
            return;
          take_text (xml->text->str, xml->text->len, &xml->key, error);
          return;
        }
      value = xml_scalar (xml, element, xml->text, error);
      if (value != NULL)
        xml_place (xml, value, error);
    }
  else if (strcmp (element, "array") == 0 || strcmp (element, "dict") == 0)
    {
      if (xml->key != NULL)
        xml_broken (error, "a dictionary ends with a key without a value");
      else
        g_ptr_array_remove_index (xml->stack, xml->stack->len - 1);
    }
}

static void
xml_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 length,
          gpointer              user_data,
          GError              **error)
{
  Xml *xml = user_data;

  if (xml->element != NULL)
    g_string_append_len (xml->text, text, length);
}

static MtcPlist *
parse_xml (const char *data,
           gsize       length,
           GError    **error)
{
  static const GMarkupParser parser = {
    xml_start_element,
    xml_end_element,
    xml_text,
    NULL,
    NULL,
  };
  Xml xml = { g_ptr_array_new (), NULL, NULL, g_string_new (NULL), NULL, FALSE, { 0, 0 } };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &xml, NULL);
  g_autoptr(GError) local_error = NULL;
  MtcPlist *top = NULL;

  if (g_markup_parse_context_parse (context, data, length, &local_error) &&
      g_markup_parse_context_end_parse (context, &local_error))
    {
      if (xml.top == NULL)
        g_set_error (&local_error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID,
                     "The property list is empty.");
      else
        top = g_steal_pointer (&xml.top);
    }
  mtc_plist_free (xml.top);
  g_free (xml.key);
  g_string_free (xml.text, TRUE);
  g_ptr_array_free (xml.stack, TRUE);

  if (local_error == NULL)
    return top;
  if (local_error->domain == MTC_PLIST_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    {
      /* GMarkup's message quotes the file, which may cut a character. */
      g_autofree char *reason = mtc_quote_text (local_error->message, -1, 300);
      gsize len = strlen (g_strchomp (reason));

      if (len > 0 && reason[len - 1] == '.')
        reason[len - 1] = '\0';
      g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID,
                   "The XML property list is damaged: %s.", reason);
    }
  return NULL;
}

/* ---- Public API ---- */

MtcPlist *
mtc_plist_parse (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > MTC_PLIST_MAX_SIZE)
    {
      g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_TOO_LARGE,
                   "The property list is larger than %u bytes, more than any settings file.",
                   (guint) MTC_PLIST_MAX_SIZE);
      return NULL;
    }
  if (length >= 6 && memcmp (data, "bplist", 6) == 0)
    {
      if (length < 8 || memcmp (data + 6, "00", 2) != 0)
        {
          g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID,
                       "The binary property list has a format version this program does not read.");
          return NULL;
        }
      return parse_binary ((const guint8 *) data, length, error);
    }
  if (length == 0 || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, MTC_PLIST_ERROR, MTC_PLIST_ERROR_INVALID,
                   "The file is neither a binary nor an XML property list.");
      return NULL;
    }
  return parse_xml (data, length, error);
}

void
mtc_plist_free (MtcPlist *plist)
{
  if (plist == NULL)
    return;
  switch (plist->kind)
    {
    case MTC_PLIST_STRING:
      g_free (plist->v.string);
      break;
    case MTC_PLIST_DATA:
      g_bytes_unref (plist->v.data);
      break;
    case MTC_PLIST_ARRAY:
    case MTC_PLIST_DICT:
      g_ptr_array_unref (plist->v.container.values);
      if (plist->v.container.keys != NULL)
        g_ptr_array_unref (plist->v.container.keys);
      break;
    default:
      break;
    }
  g_free (plist);
}

MtcPlistType
mtc_plist_get_kind (const MtcPlist *plist)
{
  g_return_val_if_fail (plist != NULL, MTC_PLIST_NULL);
  return plist->kind;
}

const MtcPlist *
mtc_plist_lookup (const MtcPlist *plist,
                  const char     *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (plist == NULL || plist->kind != MTC_PLIST_DICT)
    return NULL;
  for (guint i = 0; i < plist->v.container.keys->len; i++)
    if (strcmp (g_ptr_array_index (plist->v.container.keys, i), key) == 0)
      return g_ptr_array_index (plist->v.container.values, i);
  return NULL;
}

gsize
mtc_plist_get_length (const MtcPlist *plist)
{
  if (plist == NULL || (plist->kind != MTC_PLIST_ARRAY && plist->kind != MTC_PLIST_DICT))
    return 0;
  return plist->v.container.values->len;
}

const MtcPlist *
mtc_plist_get_element (const MtcPlist *plist,
                       gsize           i)
{
  if (i >= mtc_plist_get_length (plist))
    return NULL;
  return g_ptr_array_index (plist->v.container.values, i);
}

const char *
mtc_plist_get_key (const MtcPlist *plist,
                   gsize           i)
{
  if (plist == NULL || plist->kind != MTC_PLIST_DICT || i >= plist->v.container.keys->len)
    return NULL;
  return g_ptr_array_index (plist->v.container.keys, i);
}

const char *
mtc_plist_get_string (const MtcPlist *plist)
{
  return plist != NULL && plist->kind == MTC_PLIST_STRING ? plist->v.string : NULL;
}

gboolean
mtc_plist_get_integer (const MtcPlist *plist,
                       gint64         *value)
{
  if (plist == NULL || (plist->kind != MTC_PLIST_INTEGER && plist->kind != MTC_PLIST_UID))
    return FALSE;
  *value = plist->v.integer;
  return TRUE;
}

gboolean
mtc_plist_get_boolean (const MtcPlist *plist,
                       gboolean       *value)
{
  if (plist == NULL || plist->kind != MTC_PLIST_BOOLEAN)
    return FALSE;
  *value = plist->v.boolean;
  return TRUE;
}

gboolean
mtc_plist_get_real (const MtcPlist *plist,
                    double         *value)
{
  if (plist == NULL || (plist->kind != MTC_PLIST_REAL && plist->kind != MTC_PLIST_DATE))
    return FALSE;
  *value = plist->v.real;
  return TRUE;
}

const guint8 *
mtc_plist_get_data (const MtcPlist *plist,
                    gsize          *length)
{
  if (plist == NULL || plist->kind != MTC_PLIST_DATA)
    return NULL;
  return g_bytes_get_data (plist->v.data, length);
}
