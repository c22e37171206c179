/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mtc-dialogue.h"
#include "mtc-tls-probe.h"

/* How many bytes of a non-TLS answer are kept to tell what it was. */
#define FIRST_BYTES_MAX 256

typedef struct {
  GSocket *socket;
  gnutls_session_t session;
  gnutls_certificate_credentials_t credentials;
  MtcTlsVersion version;
  char *farewell;
  GSource *source;
  GByteArray *first_bytes;
  gboolean got_tls_record;
  MtcTlsProbeResult *result;
} ProbeData;

/* Up to TLS 1.2 each version is offered alone, with the legacy suites (3DES,
 * RC4, plain RSA key exchange, SHA-1 signatures) as well, so that a server
 * that knows only those is not mistaken for one that refuses the version.
 * A hello offering TLS 1.3 alone carries only TLS 1.3 suites, which a server
 * without TLS 1.3 answers with a bare handshake_failure; so the TLS 1.3
 * probe offers the older versions too, and a server that picks one of them
 * has said, in its ServerHello, that it does not speak TLS 1.3. */
#define LEGACY_SUITES ":+3DES-CBC:+ARCFOUR-128:+DHE-DSS:+SHA1:+RSA:+SIGN-ALL:%COMPAT"

static const char * const priorities[MTC_N_TLS_VERSIONS] = {
  ("NORMAL:-VERS-ALL:+VERS-TLS1.0" LEGACY_SUITES),
  ("NORMAL:-VERS-ALL:+VERS-TLS1.1" LEGACY_SUITES),
  ("NORMAL:-VERS-ALL:+VERS-TLS1.2" LEGACY_SUITES),
  ("NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0" LEGACY_SUITES),
};

static const gnutls_protocol_t gnutls_versions[MTC_N_TLS_VERSIONS] = {
  GNUTLS_TLS1_0, GNUTLS_TLS1_1, GNUTLS_TLS1_2, GNUTLS_TLS1_3,
};

static gnutls_priority_t priority_cache[MTC_N_TLS_VERSIONS];
static gboolean priority_ok[MTC_N_TLS_VERSIONS];

static void
init_priorities (void)
{
  static gsize initialized = 0;

  if (!g_once_init_enter (&initialized))
    return;
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    {
      const gnutls_protocol_t *list = NULL;
      int n;

      if (gnutls_priority_init2 (&priority_cache[i], priorities[i], NULL, 0) < 0)
        {
          priority_cache[i] = NULL;
          continue;
        }
      /* A system-wide policy (/etc/gnutls/config) may remove the version. */
      n = gnutls_priority_protocol_list (priority_cache[i], (const unsigned int **) &list);
      for (int j = 0; j < n; j++)
        if (list[j] == gnutls_versions[i])
          priority_ok[i] = TRUE;
    }
  g_once_init_leave (&initialized, 1);
}

const char *
mtc_tls_probe_priority (MtcTlsVersion version)
{
  g_return_val_if_fail (version >= 0 && version < MTC_N_TLS_VERSIONS, NULL);
  return priorities[version];
}

/* Which versions this computer's own TLS library is willing to offer. */
void
mtc_tls_probe_local_versions (gboolean available[MTC_N_TLS_VERSIONS])
{
  init_priorities ();
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    available[i] = priority_ok[i];
}

void
mtc_tls_probe_result_free (MtcTlsProbeResult *result)
{
  if (result == NULL)
    return;
  g_free (result->detail);
  g_free (result->reason);
  g_free (result->plaintext_words);
  g_free (result->cipher);
  g_clear_pointer (&result->chain, g_ptr_array_unref);
  g_free (result);
}

static void
probe_data_free (ProbeData *data)
{
  if (data->source != NULL)
    {
      g_source_destroy (data->source);
      g_source_unref (data->source);
    }
  if (data->session != NULL)
    gnutls_deinit (data->session);
  if (data->credentials != NULL)
    gnutls_certificate_free_credentials (data->credentials);
  g_clear_object (&data->socket);
  g_free (data->farewell);
  g_byte_array_unref (data->first_bytes);
  mtc_tls_probe_result_free (data->result);
  g_free (data);
}

static ssize_t
push_cb (gnutls_transport_ptr_t ptr,
         const void            *buf,
         size_t                 len)
{
  ProbeData *data = ptr;
  ssize_t n = send (g_socket_get_fd (data->socket), buf, len, MSG_NOSIGNAL);

  if (n < 0)
    gnutls_transport_set_errno (data->session, errno);
  return n;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t ptr,
         void                  *buf,
         size_t                 len)
{
  ProbeData *data = ptr;
  ssize_t n = recv (g_socket_get_fd (data->socket), buf, len, 0);

  if (n < 0)
    {
      gnutls_transport_set_errno (data->session, errno);
      return n;
    }
  if (data->first_bytes->len < FIRST_BYTES_MAX && n > 0)
    g_byte_array_append (data->first_bytes, buf, MIN ((gsize) n, FIRST_BYTES_MAX - data->first_bytes->len));
  return n;
}

static const char *
version_label (MtcTlsVersion version)
{
  static const char * const labels[] = { "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3" };
  return labels[version];
}

static MtcTlsVersion
from_gnutls_version (gnutls_protocol_t version)
{
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    if (gnutls_versions[i] == version)
      return i;
  return MTC_TLS_UNKNOWN;
}

static void
collect_success (ProbeData *data)
{
  MtcTlsProbeResult *result = data->result;
  const gnutls_datum_t *certs;
  unsigned int n_certs = 0;
  const char *cipher;

  result->negotiated_version = from_gnutls_version (gnutls_protocol_get_version (data->session));
  cipher = gnutls_ciphersuite_get (data->session);
  result->cipher = g_strdup (cipher);
  if (result->negotiated_version != data->version)
    {
      result->result = MTC_VERSION_REJECTED;
      result->detail = g_strdup_printf (_("The server does not speak %s: offered a choice, it picked %s."),
                                        version_label (data->version),
                                        result->negotiated_version == MTC_TLS_UNKNOWN
                                          ? "?" : version_label (result->negotiated_version));
      return;
    }
  result->result = MTC_VERSION_ACCEPTED;
  result->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  certs = gnutls_certificate_get_peers (data->session, &n_certs);
  for (unsigned int i = 0; i < n_certs && i < 16; i++)
    g_ptr_array_add (result->chain, g_bytes_new (certs[i].data, certs[i].size));
}

static void
collect_failure (ProbeData *data,
                 int        ret)
{
  MtcTlsProbeResult *result = data->result;
  const char *label = version_label (data->version);

  if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED || ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
    {
      gnutls_alert_description_t alert = gnutls_alert_get (data->session);
      const char *alert_name = gnutls_alert_get_strname (alert);

      if (alert == GNUTLS_A_PROTOCOL_VERSION)
        {
          result->result = MTC_VERSION_REJECTED;
          result->detail = g_strdup_printf (_("The server refuses %s (it answered with a “protocol_version” alert)."),
                                            label);
          return;
        }
      result->result = MTC_VERSION_ERROR;
      result->detail = g_strdup_printf (_("The server broke off the %s handshake with the alert “%s”."),
                                        label, alert_name ? alert_name : "?");
      return;
    }
  if (ret == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
    {
      result->result = MTC_VERSION_REJECTED;
      result->detail = g_strdup_printf (_("The server refuses %s (it answered with another TLS version)."), label);
      return;
    }

  result->result = MTC_VERSION_ERROR;
  if (mtc_looks_like_plaintext_greeting (data->first_bytes->data, data->first_bytes->len))
    {
      guint8 more[FIRST_BYTES_MAX];
      ssize_t n;

      /* GnuTLS stopped after a record header's worth: fetch the rest of the
       * line the server already sent, to show its words. */
      n = recv (g_socket_get_fd (data->socket), more, FIRST_BYTES_MAX - data->first_bytes->len, MSG_DONTWAIT);
      if (n > 0)
        g_byte_array_append (data->first_bytes, more, n);
      for (guint i = 0; i < data->first_bytes->len; i++)
        if (data->first_bytes->data[i] == '\r' || data->first_bytes->data[i] == '\n')
          {
            g_byte_array_set_size (data->first_bytes, i);
            break;
          }
      result->plaintext_reply = TRUE;
      result->plaintext_words = mtc_sanitize_server_text ((const char *) data->first_bytes->data,
                                                          data->first_bytes->len, 120);
      result->detail = g_strdup_printf (_("The server answered the %s hello in plain text: “%s”."),
                                        label, result->plaintext_words);
      return;
    }
  if (ret == GNUTLS_E_PREMATURE_TERMINATION || ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR)
    {
      if (data->first_bytes->len == 0)
        result->detail = g_strdup_printf (_("The server closed the connection when offered %s, without saying why."),
                                          label);
      else
        result->detail = g_strdup_printf (_("The server closed the connection during the %s handshake."), label);
      return;
    }
  {
    g_autofree char *reason = g_strdup (gnutls_strerror (ret));
    gsize len = strlen (reason);

    if (len > 0 && reason[len - 1] == '.')
      reason[len - 1] = '\0';
    result->detail = g_strdup_printf (_("The %s handshake failed: %s."), label, reason);
  }
}

static gboolean step (GTask *task);

static gboolean
socket_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProbeData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->source, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (step (task))
    g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
wait_for_socket (GTask *task)
{
  ProbeData *data = g_task_get_task_data (task);
  GIOCondition condition = gnutls_record_get_direction (data->session) ? G_IO_OUT : G_IO_IN;

  data->source = g_socket_create_source (data->socket, condition, g_task_get_cancellable (task));
  g_source_set_callback (data->source, (GSourceFunc) (GCallback) socket_ready_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (data->source, "[mtc] tls probe");
  g_source_attach (data->source, g_task_get_context (task));
}

static void
say_goodbye (ProbeData *data)
{
  /* Best effort and without waiting: the command that ends the session,
   * then close_notify. */
  if (data->farewell != NULL)
    gnutls_record_send (data->session, data->farewell, strlen (data->farewell));
  gnutls_bye (data->session, GNUTLS_SHUT_WR);
}

/* Returns TRUE when the task has completed. */
static gboolean
step (GTask *task)
{
  ProbeData *data = g_task_get_task_data (task);
  int ret = gnutls_handshake (data->session);

  if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
    {
      wait_for_socket (task);
      return FALSE;
    }
  if (ret == 0)
    {
      collect_success (data);
      say_goodbye (data);
    }
  else if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED && gnutls_alert_get (data->session) != GNUTLS_A_PROTOCOL_VERSION)
    {
      /* A warning alert during the handshake is informational: go on. */
      return step (task);
    }
  else
    collect_failure (data, ret);
  g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
  return TRUE;
}

void
mtc_tls_probe_async (GSocket             *socket,
                     const char          *server_name,
                     MtcTlsVersion        version,
                     const char          *farewell,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ProbeData *data = g_new0 (ProbeData, 1);
  int ret;

  g_task_set_source_tag (task, mtc_tls_probe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  data->socket = g_object_ref (socket);
  data->version = version;
  data->farewell = g_strdup (farewell);
  data->first_bytes = g_byte_array_new ();
  data->result = g_new0 (MtcTlsProbeResult, 1);
  data->result->negotiated_version = MTC_TLS_UNKNOWN;

  init_priorities ();
  if (priority_cache[version] == NULL || !priority_ok[version])
    {
      data->result->result = MTC_VERSION_NOT_TESTED;
      data->result->detail = g_strdup_printf (_("This computer’s TLS library does not offer %s."),
                                              version_label (version));
      g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) mtc_tls_probe_result_free);
      return;
    }

  if ((ret = gnutls_init (&data->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS)) < 0
      || (ret = gnutls_certificate_allocate_credentials (&data->credentials)) < 0
      || (ret = gnutls_credentials_set (data->session, GNUTLS_CRD_CERTIFICATE, data->credentials)) < 0
      || (ret = gnutls_priority_set (data->session, priority_cache[version])) < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "GnuTLS: %s", gnutls_strerror (ret));
      return;
    }
  if (server_name != NULL && !g_hostname_is_ip_address (server_name))
    gnutls_server_name_set (data->session, GNUTLS_NAME_DNS, server_name, strlen (server_name));
  gnutls_transport_set_ptr (data->session, data);
  gnutls_transport_set_push_function (data->session, push_cb);
  gnutls_transport_set_pull_function (data->session, pull_cb);

  if (!step (task))
    g_steal_pointer (&task);
  else
    g_clear_object (&task);
}

MtcTlsProbeResult *
mtc_tls_probe_finish (GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A GTlsCertificate (with its issuer chain) from DER certificates. */
GTlsCertificate *
mtc_tls_certificate_from_chain (GPtrArray *chain,
                                GError   **error)
{
  g_autoptr(GTlsCertificate) issuer = NULL;
  GType type = g_tls_backend_get_certificate_type (g_tls_backend_get_default ());

  g_return_val_if_fail (chain != NULL && chain->len > 0, NULL);

  for (guint i = chain->len; i > 0; i--)
    {
      GBytes *der = g_ptr_array_index (chain, i - 1);
      g_autoptr(GByteArray) array = g_bytes_unref_to_array (g_bytes_ref (der));
      GTlsCertificate *cert = g_initable_new (type, NULL, error,
                                              "certificate", array,
                                              "issuer", issuer,
                                              NULL);
      if (cert == NULL)
        return NULL;
      g_clear_object (&issuer);
      issuer = cert;
    }
  return g_steal_pointer (&issuer);
}
