/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "mtc-endpoint.h"

G_DEFINE_QUARK (mtc-error-quark, mtc_error)
G_DEFINE_BOXED_TYPE (MtcEndpoint, mtc_endpoint, mtc_endpoint_copy, mtc_endpoint_free)

typedef struct {
  const char *scheme;
  MtcProtocol protocol;
  MtcSecurity security;
  guint16 default_port;
} SchemeInfo;

static const SchemeInfo schemes[] = {
  { "smtp", MTC_PROTOCOL_SMTP, MTC_SECURITY_STARTTLS, 587 },
  { "smtps", MTC_PROTOCOL_SMTP, MTC_SECURITY_IMPLICIT, 465 },
  { "imap", MTC_PROTOCOL_IMAP, MTC_SECURITY_STARTTLS, 143 },
  { "imaps", MTC_PROTOCOL_IMAP, MTC_SECURITY_IMPLICIT, 993 },
  { "pop3", MTC_PROTOCOL_POP3, MTC_SECURITY_STARTTLS, 110 },
  { "pop3s", MTC_PROTOCOL_POP3, MTC_SECURITY_IMPLICIT, 995 },
  { "https", MTC_PROTOCOL_HTTPS, MTC_SECURITY_IMPLICIT, 443 },
};

/* The six standard mail ports a bare host name stands for, in the order a
 * person thinks of them: sending first, then receiving. */
static const guint16 bare_host_ports[] = { 587, 465, 143, 993, 110, 995 };

/* Ports whose service is unambiguous, so "host:port" needs no scheme. */
static const struct { guint16 port; const char *scheme; } well_known_ports[] = {
  { 25, "smtp" }, { 587, "smtp" }, { 465, "smtps" }, { 143, "imap" }, { 993, "imaps" },
  { 110, "pop3" }, { 995, "pop3s" }, { 443, "https" }, { 2096, "https" },
};

static const SchemeInfo *
find_scheme (const char *scheme)
{
  for (gsize i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_ascii_strcasecmp (schemes[i].scheme, scheme) == 0)
      return &schemes[i];
  return NULL;
}

static const SchemeInfo *
find_scheme_for (MtcProtocol protocol,
                 MtcSecurity security)
{
  for (gsize i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (schemes[i].protocol == protocol && schemes[i].security == security)
      return &schemes[i];
  g_return_val_if_reached (NULL);
}

/* Sets ERROR to MTC_ERROR_INVALID_TARGET with a formatted message and
 * returns FALSE, for the parsers of what a person typed. */
gboolean
mtc_set_invalid_target (GError    **error,
                        const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, MTC_ERROR, MTC_ERROR_INVALID_TARGET, "");
  if (error && *error)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);
  return FALSE;
}

static gboolean
check_text (const char *text,
            GError    **error)
{
  gsize len;

  if (text == NULL || *text == '\0')
    return mtc_set_invalid_target (error, "%s", _("Nothing was given to check: enter a server name or an address."));
  len = strlen (text);
  if (len > MTC_TARGET_MAX_LENGTH)
    return mtc_set_invalid_target (error, _("The text is too long (%lu characters; at most %d are accepted)."),
                                   (unsigned long) len, MTC_TARGET_MAX_LENGTH);
  if (!g_utf8_validate (text, len, NULL))
    return mtc_set_invalid_target (error, "%s", _("The text contains characters that are not valid UTF-8."));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        return mtc_set_invalid_target (error, _("“%s” contains a space; a server name has none."), text);
      /* Format characters too: invisible ones, and those that reverse the
       * direction of what follows, could make one address look like another. */
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        return mtc_set_invalid_target (error, "%s", _("The text contains control characters."));
    }
  return TRUE;
}

static gboolean
check_ascii_host (const char *ascii,
                  const char *shown,
                  GError    **error)
{
  gsize len = strlen (ascii);
  char **labels;
  gboolean ok = TRUE;

  /* "．" and "。" are dots to IDNA: alone they leave nothing. */
  if (len == 0)
    return mtc_set_invalid_target (error, _("The server name “%s” is not valid."), shown);
  if (len > 253)
    return mtc_set_invalid_target (error, _("The server name “%s” is too long."), shown);
  labels = g_strsplit (ascii, ".", -1);
  for (int i = 0; ok && labels[i]; i++)
    {
      gsize label_len = strlen (labels[i]);

      if (label_len == 0 || label_len > 63)
        ok = mtc_set_invalid_target (error,
                                     _("The server name “%s” is not valid: a part between dots is empty or too long."),
                                     shown);
      else if (labels[i][0] == '-' || labels[i][label_len - 1] == '-')
        ok = mtc_set_invalid_target (error,
                                     _("The server name “%s” is not valid: a part starts or ends with “-”."), shown);
      else
        for (const char *p = labels[i]; ok && *p; p++)
          if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
            ok = mtc_set_invalid_target (error,
                                         _("The server name “%s” contains the character “%c”, which is not allowed."),
                                         shown, *p);
    }
  g_strfreev (labels);
  return ok;
}

/* Checks HOST (without brackets) and returns its ASCII and display forms. */
static gboolean
parse_host (const char *host,
            char      **out_ascii,
            char      **out_display,
            GError    **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *ascii = NULL;
  gsize len;

  if (*host == '\0')
    return mtc_set_invalid_target (error, "%s", _("The server name is missing."));
  if (g_hostname_is_ip_address (host))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (address == NULL)
        return mtc_set_invalid_target (error, _("“%s” is not a valid IP address."), host);
      *out_ascii = g_inet_address_to_string (address);
      *out_display = g_strdup (*out_ascii);
      return TRUE;
    }
  if (strchr (host, ':') != NULL)
    return mtc_set_invalid_target (error, _("“%s” is not a valid server name or IP address."), host);
  if (strchr (host, '@') != NULL)
    return mtc_set_invalid_target (error, _("“%s” looks like an e-mail address; give the name of the server instead."),
                                   host);

  trimmed = g_strdup (host);
  len = strlen (trimmed);
  if (len > 1 && trimmed[len - 1] == '.')
    trimmed[len - 1] = '\0';
  ascii = g_hostname_to_ascii (trimmed);
  if (ascii == NULL)
    return mtc_set_invalid_target (error, _("The server name “%s” is not valid."), host);
  if (!check_ascii_host (ascii, host, error))
    return FALSE;
  *out_display = mtc_host_to_display (ascii);
  *out_ascii = g_ascii_strdown (ascii, -1);
  return TRUE;
}

static gboolean
parse_port (const char *text,
            guint16    *out_port,
            GError    **error)
{
  guint64 value = 0;

  if (*text == '\0')
    return mtc_set_invalid_target (error, "%s", _("The port number after “:” is missing."));
  if (strlen (text) > 5 || !g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return mtc_set_invalid_target (error, _("The port “%s” is not a number between 1 and 65535."), text);
  *out_port = (guint16) value;
  return TRUE;
}

/* Splits "host", "host:port", "[v6]" or "[v6]:port".  A bare IPv6 address
 * without brackets is accepted only when ALLOW_BARE_V6 is set (no port can
 * follow it then). */
static gboolean
split_authority (const char *authority,
                 gboolean    allow_bare_v6,
                 char      **out_host,
                 char      **out_port,
                 GError    **error)
{
  const char *colon;

  if (strchr (authority, '@') != NULL)
    return mtc_set_invalid_target (error,
                                   _("“%s” contains “@”: give the name of the server, not an e-mail address or a "
                                   "user name."), authority);

  if (authority[0] == '[')
    {
      const char *close = strchr (authority, ']');

      if (close == NULL)
        return mtc_set_invalid_target (error, _("“%s” has “[” without the closing “]”."), authority);
      *out_host = g_strndup (authority + 1, close - authority - 1);
      if (!g_hostname_is_ip_address (*out_host) || strchr (*out_host, ':') == NULL)
        {
          g_autofree char *host = g_steal_pointer (out_host);
          return mtc_set_invalid_target (error, _("“%s” in brackets is not an IPv6 address."), host);
        }
      if (close[1] == '\0')
        *out_port = NULL;
      else if (close[1] == ':')
        *out_port = g_strdup (close + 2);
      else
        {
          g_clear_pointer (out_host, g_free);
          return mtc_set_invalid_target (error, _("Unexpected text after the IPv6 address in “%s”."), authority);
        }
      return TRUE;
    }

  colon = strchr (authority, ':');
  if (colon != NULL && strchr (colon + 1, ':') != NULL)
    {
      if (allow_bare_v6 && g_hostname_is_ip_address (authority))
        {
          *out_host = g_strdup (authority);
          *out_port = NULL;
          return TRUE;
        }
      return mtc_set_invalid_target (error,
                                     _("“%s” is not a valid address; write an IPv6 address in brackets, like [2001:db8::1]:993."),
                                     authority);
    }
  if (colon != NULL)
    {
      *out_host = g_strndup (authority, colon - authority);
      *out_port = g_strdup (colon + 1);
    }
  else
    {
      *out_host = g_strdup (authority);
      *out_port = NULL;
    }
  return TRUE;
}

/* Characters a host name shown to a person must not have: a decoded "xn--"
 * label can hold anything, controls and bidirectional overrides included. */
static gboolean
is_unsafe_display_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * mtc_host_to_display:
 * @host: a host name in its ASCII form (punycode), or an IP literal
 *
 * The host as a person writes it: internationalised labels in Unicode — but
 * only when the Unicode form is the same name, that is, when it contains no
 * control or formatting characters and turns back into @host.  Otherwise
 * (an "xn--" label that decodes to controls, or to a name whose ASCII form
 * differs) @host is shown as it is, so that what a person reads is what is
 * probed.
 *
 * Returns: (transfer full): the name to show
 */
char *
mtc_host_to_display (const char *host)
{
  g_autofree char *unicode = NULL;
  g_autofree char *back = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  if (!g_hostname_is_ascii_encoded (host))
    return g_strdup (host);
  unicode = g_hostname_to_unicode (host);
  if (unicode == NULL)
    return g_strdup (host);
  for (const char *p = unicode; *p; p = g_utf8_next_char (p))
    if (is_unsafe_display_char (g_utf8_get_char (p)))
      return g_strdup (host);
  back = g_hostname_to_ascii (unicode);
  if (back == NULL || g_ascii_strcasecmp (back, host) != 0)
    return g_strdup (host);
  return g_steal_pointer (&unicode);
}

MtcEndpoint *
mtc_endpoint_new (MtcProtocol protocol,
                  MtcSecurity security,
                  const char *host,
                  guint16     port)
{
  MtcEndpoint *endpoint = g_new0 (MtcEndpoint, 1);

  endpoint->protocol = protocol;
  endpoint->security = security;
  endpoint->host = g_strdup (host);
  endpoint->host_display = mtc_host_to_display (host);
  endpoint->port = port;
  return endpoint;
}

MtcEndpoint *
mtc_endpoint_copy (const MtcEndpoint *endpoint)
{
  MtcEndpoint *copy = g_new0 (MtcEndpoint, 1);

  *copy = *endpoint;
  copy->host = g_strdup (endpoint->host);
  copy->host_display = g_strdup (endpoint->host_display);
  copy->source = g_strdup (endpoint->source);
  copy->configured_in = g_strdup (endpoint->configured_in);
  return copy;
}

void
mtc_endpoint_free (MtcEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;
  g_free (endpoint->host);
  g_free (endpoint->host_display);
  g_free (endpoint->source);
  g_free (endpoint->configured_in);
  g_free (endpoint);
}

const char *
mtc_endpoint_get_scheme (const MtcEndpoint *endpoint)
{
  const SchemeInfo *info = find_scheme_for (endpoint->protocol, endpoint->security);

  return info != NULL ? info->scheme : "?";
}

gboolean
mtc_endpoint_is_ip_literal (const MtcEndpoint *endpoint)
{
  return g_hostname_is_ip_address (endpoint->host);
}

static char *
format_url (const MtcEndpoint *endpoint,
            const char        *host)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", mtc_endpoint_get_scheme (endpoint), host, endpoint->port);
  return g_strdup_printf ("%s://%s:%u", mtc_endpoint_get_scheme (endpoint), host, endpoint->port);
}

/* The URL as a person reads it, with an internationalised name in Unicode. */
char *
mtc_endpoint_to_url (const MtcEndpoint *endpoint)
{
  return format_url (endpoint, endpoint->host_display);
}

char *
mtc_endpoint_to_ascii_url (const MtcEndpoint *endpoint)
{
  return format_url (endpoint, endpoint->host);
}

/* What the endpoint is for, in the user's words. */
const char *
mtc_endpoint_describe_role (const MtcEndpoint *endpoint)
{
  switch (endpoint->protocol)
    {
    case MTC_PROTOCOL_SMTP:
      return _("Sending mail");
    case MTC_PROTOCOL_IMAP:
      return _("Receiving mail (IMAP)");
    case MTC_PROTOCOL_POP3:
      return _("Receiving mail (POP3)");
    case MTC_PROTOCOL_HTTPS:
      return _("Webmail");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
mtc_target_is_endpoint_url (const char *text)
{
  return text != NULL && strstr (text, "://") != NULL;
}

MtcEndpoint *
mtc_endpoint_parse (const char *text,
                    GError    **error)
{
  const char *sep;
  const char *authority_start;
  const char *authority_end;
  const SchemeInfo *info = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *host = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *display = NULL;
  guint16 port = 0;
  MtcEndpoint *endpoint;

  if (!check_text (text, error))
    return NULL;

  sep = strstr (text, "://");
  if (sep != NULL)
    {
      scheme = g_strndup (text, sep - text);
      info = find_scheme (scheme);
      if (info == NULL)
        {
          mtc_set_invalid_target (error,
                                  _("“%s” is not a kind of server this program checks; use smtp, smtps, imap, imaps, "
                                  "pop3, pop3s or https."), scheme);
          return NULL;
        }
      authority_start = sep + 3;
    }
  else
    authority_start = text;

  authority_end = authority_start + strcspn (authority_start, "/?#");
  if (*authority_end != '\0')
    {
      if (info == NULL)
        {
          mtc_set_invalid_target (error, _("“%s” is not a server address."), text);
          return NULL;
        }
      if (info->protocol != MTC_PROTOCOL_HTTPS && strcmp (authority_end, "/") != 0)
        {
          mtc_set_invalid_target (error, _("A mail server address has no path: remove “%s”."), authority_end);
          return NULL;
        }
    }
  authority = g_strndup (authority_start, authority_end - authority_start);
  if (*authority == '\0')
    {
      mtc_set_invalid_target (error, _("“%s” has no server name."), text);
      return NULL;
    }
  if (!split_authority (authority, FALSE, &host, &port_text, error))
    return NULL;
  if (*host == '\0')
    {
      mtc_set_invalid_target (error, _("“%s” has no server name."), text);
      return NULL;
    }
  if (!parse_host (host, &ascii, &display, error))
    return NULL;

  if (port_text != NULL)
    {
      if (!parse_port (port_text, &port, error))
        return NULL;
    }
  else if (info != NULL)
    port = info->default_port;
  else
    {
      mtc_set_invalid_target (error, _("Say which kind of server “%s” is, for example smtp://%s:587."), text, text);
      return NULL;
    }

  if (info == NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (well_known_ports); i++)
        if (well_known_ports[i].port == port)
          info = find_scheme (well_known_ports[i].scheme);
      if (info == NULL)
        {
          mtc_set_invalid_target (error, _("Port %u has no standard use; say which kind of server it is, for example "
                                  "imaps://%s:%u."), port, display, port);
          return NULL;
        }
    }

  endpoint = g_new0 (MtcEndpoint, 1);
  endpoint->protocol = info->protocol;
  endpoint->security = info->security;
  endpoint->host = g_steal_pointer (&ascii);
  endpoint->host_display = g_steal_pointer (&display);
  endpoint->port = port;
  return endpoint;
}

/* A bare host (name or IP address) stands for its six standard mail ports. */
GPtrArray *
mtc_target_parse_host (const char *text,
                       GError    **error)
{
  g_autofree char *host = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *display = NULL;
  GPtrArray *endpoints;

  if (!check_text (text, error))
    return NULL;
  if (!split_authority (text, TRUE, &host, &port_text, error))
    return NULL;
  if (port_text != NULL)
    {
      g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_parse (text, error);

      if (endpoint == NULL)
        return NULL;
      endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
      g_ptr_array_add (endpoints, g_steal_pointer (&endpoint));
      return endpoints;
    }
  if (!parse_host (host, &ascii, &display, error))
    return NULL;

  endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  for (gsize i = 0; i < G_N_ELEMENTS (bare_host_ports); i++)
    {
      const SchemeInfo *info = NULL;
      MtcEndpoint *endpoint = g_new0 (MtcEndpoint, 1);

      for (gsize j = 0; j < G_N_ELEMENTS (schemes); j++)
        if (schemes[j].default_port == bare_host_ports[i])
          info = &schemes[j];
      endpoint->protocol = info->protocol;
      endpoint->security = info->security;
      endpoint->host = g_strdup (ascii);
      endpoint->host_display = g_strdup (display);
      endpoint->port = bare_host_ports[i];
      g_ptr_array_add (endpoints, endpoint);
    }
  return endpoints;
}

/* One command-line target: an endpoint URL or a bare host. */
GPtrArray *
mtc_target_parse (const char *text,
                  GError    **error)
{
  if (mtc_target_is_endpoint_url (text))
    {
      MtcEndpoint *endpoint = mtc_endpoint_parse (text, error);
      GPtrArray *endpoints;

      if (endpoint == NULL)
        return NULL;
      endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
      g_ptr_array_add (endpoints, endpoint);
      return endpoints;
    }
  return mtc_target_parse_host (text, error);
}
