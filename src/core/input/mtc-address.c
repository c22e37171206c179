/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "mtc-address.h"
#include "mtc-endpoint.h"
#include "mtc-quote.h"

G_DEFINE_BOXED_TYPE (MtcEmailAddress, mtc_email_address, mtc_email_address_copy, mtc_email_address_free)

/* How much of a hostile or mistyped text an error message repeats. */
#define SHOWN_MAX_CHARS 60

/* Characters that never belong in the part before "@" as people type it:
 * the specials of RFC 5322 (quoted local parts are not accepted). */
static const char local_specials[] = "()<>[]\\,;:\"";

/* "The e-mail address is too long (300 characters); …" */
static void
address_too_long (GError **error,
                  glong    length)
{
  mtc_set_invalid_target (error,
                          /* TRANSLATORS: the first number is the length of what was typed, the second the most
                           * an e-mail address allows (254) */
                          g_dngettext (GETTEXT_PACKAGE, "The e-mail address is too long (%ld character); an e-mail "
                                       "address has room for at most %d.",
                                       "The e-mail address is too long (%ld characters); an e-mail address has room "
                                       "for at most %d.", length),
                          length, MTC_ADDRESS_MAX_LENGTH);
}

static gboolean
check_ascii_labels (const char *ascii,
                    const char *shown,
                    GError    **error)
{
  g_auto(GStrv) labels = NULL;

  if (strlen (ascii) > 253)
    return mtc_set_invalid_target (error, _("The domain “%s” is too long."), shown);
  if (strchr (ascii, '.') == NULL)
    return mtc_set_invalid_target (error,
                                   _("The domain “%s” is incomplete: a domain has a dot, as in example.net."), shown);
  labels = g_strsplit (ascii, ".", -1);
  for (int i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63)
        return mtc_set_invalid_target (error,
                                       _("The domain “%s” is not valid: a part between dots is empty or too long."),
                                       shown);
      if (labels[i][0] == '-' || labels[i][len - 1] == '-')
        return mtc_set_invalid_target (error,
                                       _("The domain “%s” is not valid: a part starts or ends with “-”."), shown);
      for (const char *p = labels[i]; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return mtc_set_invalid_target (error,
                                         _("The domain “%s” contains the character “%c”, which is not allowed in a "
                                         "domain."), shown, *p);
    }
  return TRUE;
}

/**
 * mtc_domain_to_ascii:
 * @domain: a mail domain as a person writes it, e.g. "müller.de"
 *
 * Checks @domain and converts it to its ASCII form (punycode), lower case,
 * without a final dot.
 *
 * Returns: (transfer full): the ASCII form, or %NULL with
 *   %MTC_ERROR_INVALID_TARGET and a sentence naming the problem
 */
char *
mtc_domain_to_ascii (const char *domain,
                     GError    **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *ascii = NULL;
  gsize len;

  g_return_val_if_fail (domain != NULL, NULL);

  shown = mtc_quote_text (domain, -1, SHOWN_MAX_CHARS);
  if (*domain == '\0')
    {
      mtc_set_invalid_target (error, "%s", _("The domain is missing."));
      return NULL;
    }
  if (domain[0] == '[' || g_hostname_is_ip_address (domain))
    {
      mtc_set_invalid_target (error,
                              _("“%s” is a network address, not a domain name; give the domain, such as example.net."),
                              shown);
      return NULL;
    }
  trimmed = g_strdup (domain);
  len = strlen (trimmed);
  if (len > 1 && trimmed[len - 1] == '.')
    trimmed[len - 1] = '\0';
  ascii = g_hostname_to_ascii (trimmed);
  if (ascii == NULL)
    {
      mtc_set_invalid_target (error, _("The domain “%s” is not valid."), shown);
      return NULL;
    }
  /* "192.0.2.1." or full-width digits become an address only now. */
  if (g_hostname_is_ip_address (ascii))
    {
      mtc_set_invalid_target (error,
                              _("“%s” is a network address, not a domain name; give the domain, such as example.net."),
                              shown);
      return NULL;
    }
  if (!check_ascii_labels (ascii, shown, error))
    return NULL;
  return g_ascii_strdown (ascii, -1);
}

gboolean
mtc_text_looks_like_email (const char *text)
{
  return text != NULL && strchr (text, '@') != NULL && strstr (text, "://") == NULL;
}

/**
 * mtc_email_address_parse:
 * @text: what the user typed
 *
 * Checks an e-mail address.  Internationalised addresses work
 * ("jörg@müller.de"): the domain is converted to punycode for DNS and HTTP
 * and shown in Unicode.
 *
 * Returns: (transfer full): the address, or %NULL with
 *   %MTC_ERROR_INVALID_TARGET and a sentence saying what is wrong
 */
MtcEmailAddress *
mtc_email_address_parse (const char *text,
                         GError    **error)
{
  g_autoptr(MtcEmailAddress) address = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *domain_ascii = NULL;
  const char *at;
  gsize local_len;
  gsize total_len;
  guint n_at = 0;

  if (text == NULL || *text == '\0')
    {
      mtc_set_invalid_target (error, "%s", _("Nothing was given: enter an e-mail address such as alice@example.net."));
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      mtc_set_invalid_target (error,
                              "%s", _("The e-mail address contains characters that are not valid text (not UTF-8)."));
      return NULL;
    }
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Format characters too: invisible ones and those that reverse the
       * direction of text could make an address look like another. */
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 || g_unichar_type (c) == G_UNICODE_FORMAT)
        {
          mtc_set_invalid_target (error,
                                  "%s", _("The e-mail address contains control characters, such as a line break or a "
                                  "tab; type it again without them."));
          return NULL;
        }
    }

  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  shown = mtc_quote_text (normal, -1, SHOWN_MAX_CHARS);
  for (const char *p = normal; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      {
        mtc_set_invalid_target (error, _("“%s” contains a space; an e-mail address has none."), shown);
        return NULL;
      }
  for (const char *p = normal; *p; p++)
    if (*p == '@')
      n_at++;
  if (n_at == 0)
    {
      mtc_set_invalid_target (error, _("“%s” is not an e-mail address: the “@” is missing."), shown);
      return NULL;
    }
  if (n_at > 1)
    {
      mtc_set_invalid_target (error, _("“%s” contains “@” more than once; an e-mail address has exactly one, as in "
                              "alice@example.net."), shown);
      return NULL;
    }

  at = strchr (normal, '@');
  local_len = at - normal;
  total_len = strlen (normal);
  if (local_len == 0)
    {
      mtc_set_invalid_target (error, _("The name before the “@” is missing in “%s”."), shown);
      return NULL;
    }
  if (at[1] == '\0')
    {
      mtc_set_invalid_target (error,
                              _("The domain after the “@” is missing in “%s”; it is the part like example.net in "
                              "alice@example.net."), shown);
      return NULL;
    }
  /* The limits are in bytes; letters beyond ASCII take two or more. */
  if (local_len > MTC_ADDRESS_LOCAL_MAX_LENGTH)
    {
      glong length = g_utf8_strlen (normal, local_len);

      mtc_set_invalid_target (error,
                              /* TRANSLATORS: the first number is the length of what was typed, the second the
                               * most an e-mail address allows there (64) */
                              g_dngettext (GETTEXT_PACKAGE, "The part before the “@” is too long (%ld character); an "
                                           "e-mail address has room for at most %d there.",
                                           "The part before the “@” is too long (%ld characters); an e-mail address "
                                           "has room for at most %d there.", length),
                              length, MTC_ADDRESS_LOCAL_MAX_LENGTH);
      return NULL;
    }
  /* Only a first bound on a hostile text: the limit is checked on the
   * address in ASCII below. */
  if (total_len > 4 * MTC_ADDRESS_MAX_LENGTH)
    {
      address_too_long (error, g_utf8_strlen (normal, -1));
      return NULL;
    }
  if (g_ascii_strncasecmp (normal, "mailto:", strlen ("mailto:")) == 0)
    {
      mtc_set_invalid_target (error, "%s", _("Leave out “mailto:” and give only the e-mail address."));
      return NULL;
    }
  for (const char *p = normal; p < at; p++)
    if (strchr (local_specials, *p) != NULL)
      {
        mtc_set_invalid_target (error,
                                _("The part before the “@” contains “%c”, which an e-mail address cannot contain. Give "
                                "only the address, without a name or quotation marks."), *p);
        return NULL;
      }
  if (normal[0] == '.' || at[-1] == '.' || g_strstr_len (normal, local_len, "..") != NULL)
    {
      mtc_set_invalid_target (error,
                              "%s", _("The part before the “@” cannot start or end with a dot, or have two dots in a "
                              "row."));
      return NULL;
    }

  domain_ascii = mtc_domain_to_ascii (at + 1, error);
  if (domain_ascii == NULL)
    return NULL;
  /* The limit applies to the address as it goes over the wire, with the
   * domain in ASCII: checked there, the same address typed with its domain
   * in Unicode (often longer in bytes, as it is shown) is not refused. */
  if (local_len + 1 + strlen (domain_ascii) > MTC_ADDRESS_MAX_LENGTH)
    {
      address_too_long (error, g_utf8_strlen (normal, local_len) + 1 + (glong) strlen (domain_ascii));
      return NULL;
    }

  address = g_new0 (MtcEmailAddress, 1);
  address->local = g_strndup (normal, local_len);
  address->domain = g_steal_pointer (&domain_ascii);
  /* Not g_hostname_to_unicode() alone: an "xn--" label can decode to
   * controls, or to a name that is not this one. */
  address->domain_display = mtc_host_to_display (address->domain);
  address->address = g_strdup_printf ("%s@%s", address->local, address->domain_display);
  address->address_ascii = g_strdup_printf ("%s@%s", address->local, address->domain);
  return g_steal_pointer (&address);
}

MtcEmailAddress *
mtc_email_address_copy (const MtcEmailAddress *address)
{
  MtcEmailAddress *copy = g_new0 (MtcEmailAddress, 1);

  copy->local = g_strdup (address->local);
  copy->domain = g_strdup (address->domain);
  copy->domain_display = g_strdup (address->domain_display);
  copy->address = g_strdup (address->address);
  copy->address_ascii = g_strdup (address->address_ascii);
  return copy;
}

void
mtc_email_address_free (MtcEmailAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->local);
  g_free (address->domain);
  g_free (address->domain_display);
  g_free (address->address);
  g_free (address->address_ascii);
  g_free (address);
}
