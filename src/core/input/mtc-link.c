/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-endpoint.h"
#include "mtc-link.h"
#include "mtc-provider.h"
#include "mtc-quote.h"

G_DEFINE_BOXED_TYPE (MtcLinkRequest, mtc_link_request, mtc_link_request_copy, mtc_link_request_free)

#define SHOWN_MAX_CHARS 80

/* ASCII characters that may stand in a link as they are (RFC 3986 query
 * characters); everything else printable must be percent-encoded. */
static const char allowed_ascii[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%";

static gboolean
set_invalid (GError    **error,
             const char *uri,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_invalid (GError    **error,
             const char *uri,
             const char *format,
             ...)
{
  g_autofree char *problem = NULL;
  g_autofree char *shown = mtc_quote_text (uri, -1, SHOWN_MAX_CHARS);
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: the first %s is the link, the second says what is wrong with it */
  g_set_error (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET, _("The link “%s” cannot be used: %s"), shown, problem);
  return FALSE;
}

gboolean
mtc_link_is_link (const char *text)
{
  return text != NULL && g_ascii_strncasecmp (text, MTC_LINK_SCHEME ":", strlen (MTC_LINK_SCHEME ":")) == 0;
}

static gboolean
key_is_valid (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > MTC_LINK_KEY_MAX_LENGTH)
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_'))
      return FALSE;
  return TRUE;
}

/* Percent-decodes VALUE; the result is valid UTF-8 without control
 * characters, or NULL with an error. */
static char *
decode_value (const char *uri,
              const char *key,
              const char *value,
              GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = value; *p; p++)
    {
      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (!g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2]))
        {
          /* xgettext:no-c-format */
          set_invalid (error, uri, "%s", _("it contains “%” that is not followed by two hexadecimal digits."));
          return NULL;
        }
      g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
      p += 2;
    }
  if (out->len == 0)
    {
      /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is a part of the link, such as
       * “provider” */
      set_invalid (error, uri, _("the value of “%s” is empty."), key);
      return NULL;
    }
  if (memchr (out->str, '\0', out->len) != NULL || !g_utf8_validate (out->str, out->len, NULL))
    {
      /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is a part of the link, such as
       * “provider” */
      set_invalid (error, uri, _("the value of “%s” is not valid text."), key);
      return NULL;
    }
  for (const char *p = out->str; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is a part of the link, such as
           * “provider” */
          set_invalid (error, uri, _("the value of “%s” contains control characters."), key);
          return NULL;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mtc_link_parse:
 * @uri: a support link, e.g. "mail-tls-check:?provider=macbay-v3&email=alice%40example.net"
 *
 * Checks everything in the link.  Whether the provider exists is not
 * checked here: mtc_provider_lookup() says so in plain words.
 *
 * Returns: (transfer full): the request, or %NULL with
 *   %MTC_ERROR_INVALID_TARGET and a sentence saying what is wrong
 */
MtcLinkRequest *
mtc_link_parse (const char *uri,
                GError    **error)
{
  g_autoptr(MtcLinkRequest) request = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GStrvBuilder) ignored = NULL;
  g_auto(GStrv) pairs = NULL;
  const char *query;
  gsize len;

  if (uri == NULL || !mtc_link_is_link (uri))
    {
      /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is mail-tls-check */
      set_invalid (error, uri ? uri : "", _("it does not start with “%s:”."), MTC_LINK_SCHEME);
      return NULL;
    }
  len = strlen (uri);
  if (len > MTC_LINK_MAX_LENGTH)
    {
      /* TRANSLATORS: why a support link cannot be used; %d is its longest length (2048) */
      set_invalid (error, uri, g_dngettext (GETTEXT_PACKAGE, "it is longer than %d character.",
                                            "it is longer than %d characters.", MTC_LINK_MAX_LENGTH),
                   MTC_LINK_MAX_LENGTH);
      return NULL;
    }
  if (!g_utf8_validate (uri, len, NULL))
    {
      set_invalid (error, uri, "%s", _("it contains characters that are not valid text."));
      return NULL;
    }
  for (const char *p = uri; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          set_invalid (error, uri, "%s", _("it contains a space or a control character."));
          return NULL;
        }
      if (c == '#')
        {
          set_invalid (error, uri, "%s", _("it contains “#”, which a Mail TLS Check link does not have."));
          return NULL;
        }
      /* Raw Unicode is accepted as in an IRI (RFC 3987); ASCII must be
       * allowed in a query or percent-encoded. */
      if (c < 0x80 && strchr (allowed_ascii, (int) c) == NULL)
        {
          /* TRANSLATORS: after “The link … cannot be used:”, lower case; %c is a character; %%%02X is how
           * a link writes it (%41 for A): keep it */
          set_invalid (error, uri, _("it contains the character “%c”, which must be written as %%%02X."), (char) c,
                       (guint) c);
          return NULL;
        }
    }

  query = uri + strlen (MTC_LINK_SCHEME ":");
  if (query[0] != '?')
    {
      /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is mail-tls-check; keep
       * ?provider=ID&email=ADDRESS */
      set_invalid (error, uri, _("it must have the form %s:?provider=ID&email=ADDRESS."), MTC_LINK_SCHEME);
      return NULL;
    }
  query++;
  if (*query == '\0')
    {
      set_invalid (error, uri, "%s", _("it names neither a provider nor an e-mail address."));
      return NULL;
    }

  request = g_new0 (MtcLinkRequest, 1);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ignored = g_strv_builder_new ();
  pairs = g_strsplit (query, "&", -1);
  for (int i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (*pairs[i] == '\0')
        {
          set_invalid (error, uri, "%s", _("it contains an empty part between “&” signs."));
          return NULL;
        }
      if (equals == NULL)
        {
          g_autofree char *shown = mtc_quote_text (pairs[i], -1, SHOWN_MAX_CHARS);

          /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is a part of the link */
          set_invalid (error, uri, _("the part “%s” has no “=” and value."), shown);
          return NULL;
        }
      key = g_strndup (pairs[i], equals - pairs[i]);
      if (!key_is_valid (key))
        {
          g_autofree char *shown = mtc_quote_text (key, -1, SHOWN_MAX_CHARS);

          /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is a part of the link */
          set_invalid (error, uri, _("“%s” is not a valid name for a part of the link."), shown);
          return NULL;
        }
      if (!g_hash_table_add (seen, g_strdup (key)))
        {
          /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is a part of the link */
          set_invalid (error, uri, _("“%s” appears more than once."), key);
          return NULL;
        }
      value = decode_value (uri, key, equals + 1, error);
      if (value == NULL)
        return NULL;

      if (strcmp (key, "provider") == 0)
        {
          if (!mtc_provider_id_is_valid (value))
            {
              g_autofree char *shown = mtc_quote_text (value, -1, SHOWN_MAX_CHARS);

              /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s is the value given for
               * “provider” */
              set_invalid (error, uri, _("“%s” is not a provider ID (lower-case letters, digits and “-”)."), shown);
              return NULL;
            }
          request->provider_id = g_steal_pointer (&value);
        }
      else if (strcmp (key, "email") == 0)
        {
          g_autoptr(GError) address_error = NULL;

          request->email = mtc_email_address_parse (value, &address_error);
          if (request->email == NULL)
            {
              /* TRANSLATORS: after “The link … cannot be used:”, lower case; %s says why, a sentence */
              set_invalid (error, uri, _("the e-mail address in it is not valid. %s"), address_error->message);
              return NULL;
            }
        }
      else
        g_strv_builder_add (ignored, key);
    }
  if (request->provider_id == NULL && request->email == NULL)
    {
      set_invalid (error, uri, "%s", _("it names neither a provider nor an e-mail address."));
      return NULL;
    }
  request->ignored_keys = g_strv_builder_end (ignored);
  return g_steal_pointer (&request);
}

/**
 * mtc_link_build:
 * @provider_id: (nullable): a provider ID
 * @email: (nullable): an e-mail address
 *
 * Builds a support link (what a help article would link to).
 *
 * Returns: (transfer full): the link
 */
char *
mtc_link_build (const char *provider_id,
                const char *email)
{
  GString *out = g_string_new (MTC_LINK_SCHEME ":?");

  g_return_val_if_fail (provider_id != NULL || email != NULL, NULL);

  if (provider_id != NULL)
    {
      g_string_append (out, "provider=");
      g_string_append_uri_escaped (out, provider_id, NULL, FALSE);
    }
  if (email != NULL)
    {
      g_string_append (out, provider_id ? "&email=" : "email=");
      g_string_append_uri_escaped (out, email, NULL, FALSE);
    }
  return g_string_free (out, FALSE);
}

MtcLinkRequest *
mtc_link_request_copy (const MtcLinkRequest *request)
{
  MtcLinkRequest *copy = g_new0 (MtcLinkRequest, 1);

  copy->provider_id = g_strdup (request->provider_id);
  copy->email = request->email ? mtc_email_address_copy (request->email) : NULL;
  copy->ignored_keys = g_strdupv (request->ignored_keys);
  return copy;
}

void
mtc_link_request_free (MtcLinkRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->provider_id);
  mtc_email_address_free (request->email);
  g_strfreev (request->ignored_keys);
  g_free (request);
}
