/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What every endpoint made from outside input must be: usable, shown as it
 * is probed (its URL, printed, parses back to the same endpoint), and its
 * host name shown without control or formatting characters. */

#include "fuzz-common.h"
#include "mtc-endpoint.h"

static G_GNUC_UNUSED void
check_round_trip (const MtcEndpoint *endpoint,
                  const char        *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtcEndpoint) again = mtc_endpoint_parse (url, &error);

  if (again == NULL)
    {
      fprintf (stderr, "“%s” does not parse back: %s\n", url, error->message);
      FUZZ_CHECK (again != NULL);
    }
  if (g_strcmp0 (again->host, endpoint->host) != 0)
    fprintf (stderr, "“%s” parses back to host “%s”, not “%s”\n", url, again->host, endpoint->host);
  FUZZ_CHECK (g_strcmp0 (again->host, endpoint->host) == 0);
  FUZZ_CHECK (again->protocol == endpoint->protocol);
  FUZZ_CHECK (again->security == endpoint->security);
  FUZZ_CHECK (again->port == endpoint->port);
}

static G_GNUC_UNUSED void
check_endpoint (const MtcEndpoint *endpoint)
{
  g_autoptr(MtcEndpoint) copy = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ascii_url = NULL;

  FUZZ_CHECK (endpoint != NULL);
  FUZZ_CHECK (endpoint->protocol >= MTC_PROTOCOL_SMTP && endpoint->protocol <= MTC_PROTOCOL_HTTPS);
  FUZZ_CHECK (endpoint->security == MTC_SECURITY_STARTTLS || endpoint->security == MTC_SECURITY_IMPLICIT);
  FUZZ_CHECK (endpoint->port > 0);
  FUZZ_CHECK (endpoint->host != NULL && *endpoint->host != '\0');
  FUZZ_CHECK (g_str_is_ascii (endpoint->host));
  FUZZ_CHECK (strlen (endpoint->host) <= 253 || mtc_endpoint_is_ip_literal (endpoint));
  FUZZ_CHECK (endpoint->host_display != NULL && *endpoint->host_display != '\0');
  FUZZ_CHECK (fuzz_text_is_clean (endpoint->host_display));
  FUZZ_CHECK (mtc_endpoint_get_scheme (endpoint) != NULL);
  FUZZ_CHECK (mtc_endpoint_describe_role (endpoint) != NULL);

  url = mtc_endpoint_to_url (endpoint);
  ascii_url = mtc_endpoint_to_ascii_url (endpoint);
  FUZZ_CHECK (g_str_is_ascii (ascii_url));
  check_round_trip (endpoint, url);
  check_round_trip (endpoint, ascii_url);

  copy = mtc_endpoint_copy (endpoint);
  FUZZ_CHECK (g_strcmp0 (copy->host, endpoint->host) == 0);
}
