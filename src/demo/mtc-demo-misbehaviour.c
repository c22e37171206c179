/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "mtc-demo-server-private.h"

/* The misbehaviours around TLS (see MtcDemoBehaviour):
 *  - where TLS starts (after the STARTTLS OK, or at once on an implicit-TLS
 *    port): TLS_GARBAGE, DIE_MID_HANDSHAKE, STALL_HANDSHAKE;
 *  - at the ClientHello: OLD_HELLO_CLOSE, OLD_HELLO_RESET,
 *    OLD_HELLO_HANDSHAKE_FAILURE, HELLO_HANDSHAKE_FAILURE;
 *  - inside TLS on TLS 1.0 and 1.1: OLD_REFUSED_INSIDE_TLS,
 *    OLD_CLOSED_INSIDE_TLS, PREAUTH_OLD_REFUSED;
 *  - after the STARTTLS OK: INJECTION_LATE. */

#define GARBAGE_LENGTH 200
#define LATE_INJECTION_MS 20
#define OLD_TLS_REFUSAL "TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2."

/* Helpers */

/* The highest version a ClientHello offers, from its legacy_version (a
 * TLS 1.3 hello says TLS 1.2 there, which is as good for these tests). */
static int
client_hello_hook (gnutls_session_t      session,
                   unsigned int          htype,
                   unsigned int          when,
                   unsigned int          incoming,
                   const gnutls_datum_t *msg)
{
  Connection *conn = gnutls_session_get_ptr (session);
  int offered;

  if (htype != GNUTLS_HANDSHAKE_CLIENT_HELLO || !incoming || msg->size < 2)
    return 0;
  offered = msg->data[0] == 3 && msg->data[1] >= 1 ? MIN (msg->data[1] - 1, MTC_TLS_1_2) : -1;
  if (conn->config.behaviour == MTC_DEMO_HELLO_HANDSHAKE_FAILURE
      || offered < (int) MIN (conn->config.min_version, MTC_TLS_1_2))
    {
      conn->hello_refused = TRUE;
      return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
    }
  return 0;
}

/* Private API */

gboolean
mtc_demo_misbehaviour_hello_arrived (Connection *conn)
{
  g_autofree guint8 *garbage = NULL;
  static const char filler[] = " this is not TLS, garbage";

  switch (conn->config.behaviour)
    {
    case MTC_DEMO_TLS_GARBAGE:
      garbage = g_malloc (GARBAGE_LENGTH);
      memcpy (garbage, "\x15\x03\x03garbage", 10);
      for (gsize i = 10; i < GARBAGE_LENGTH; i++)
        garbage[i] = filler[(i - 10) % (sizeof filler - 1)];
      conn->mode = MODE_DISCARD;
      mtc_demo_connection_send (conn, g_bytes_new_take (g_steal_pointer (&garbage), GARBAGE_LENGTH), NEXT_CLOSE);
      return FALSE;
    case MTC_DEMO_STALL_HANDSHAKE:
      conn->mode = MODE_DISCARD;
      return TRUE;
    case MTC_DEMO_DIE_MID_HANDSHAKE:
    default:
      mtc_demo_connection_close (conn);
      return FALSE;
    }
}

/* Whether this connection negotiated an old version that the service turns
 * away inside TLS. */
gboolean
mtc_demo_misbehaviour_old_tls_refused (Connection *conn)
{
  gnutls_protocol_t version;

  if (conn->session == NULL || !conn->tls_established
      || (conn->config.behaviour != MTC_DEMO_OLD_REFUSED_INSIDE_TLS
          && conn->config.behaviour != MTC_DEMO_OLD_CLOSED_INSIDE_TLS
          && conn->config.behaviour != MTC_DEMO_PREAUTH_OLD_REFUSED))
    return FALSE;
  version = gnutls_protocol_get_version (conn->session);
  return version == GNUTLS_TLS1_0 || version == GNUTLS_TLS1_1;
}

/* As Microsoft 365 answers a client that negotiated TLS 1.0: the greeting
 * on an implicit-TLS port, or the reply to the first command after
 * STARTTLS, turns it away. */
void
mtc_demo_misbehaviour_refuse_inside_tls (Connection *conn)
{
  if (conn->config.behaviour == MTC_DEMO_OLD_CLOSED_INSIDE_TLS)
    {
      mtc_demo_connection_close (conn);
      return;
    }
  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "421 4.7.66 " OLD_TLS_REFUSAL "\r\n");
      break;
    case MTC_PROTOCOL_IMAP:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "* BYE " OLD_TLS_REFUSAL "\r\n");
      break;
    case MTC_PROTOCOL_POP3:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE, "-ERR " OLD_TLS_REFUSAL "\r\n");
      break;
    case MTC_PROTOCOL_HTTPS:
    default:
      mtc_demo_connection_send_text (conn, NEXT_CLOSE,
                                     "HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      break;
    }
}

void
mtc_demo_misbehaviour_watch_client_hello (Connection *conn)
{
  switch (conn->config.behaviour)
    {
    case MTC_DEMO_OLD_HELLO_CLOSE:
    case MTC_DEMO_OLD_HELLO_RESET:
    case MTC_DEMO_OLD_HELLO_HANDSHAKE_FAILURE:
    case MTC_DEMO_HELLO_HANDSHAKE_FAILURE:
      gnutls_session_set_ptr (conn->session, conn);
      gnutls_handshake_set_hook_function (conn->session, GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_HOOK_PRE,
                                          client_hello_hook);
      break;
    default:
      break;
    }
}

/* Turns a hello away the way the behaviour says, instead of GnuTLS's own
 * protocol_version alert. */
void
mtc_demo_misbehaviour_refuse_hello (Connection *conn)
{
  switch (conn->config.behaviour)
    {
    case MTC_DEMO_OLD_HELLO_RESET:
      {
        struct linger linger = { .l_onoff = 1, .l_linger = 0 };

        /* Closing with a zero linger sends a reset instead of a FIN. */
        setsockopt (g_socket_get_fd (conn->socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        g_socket_close (conn->socket, NULL);
      }
      break;
    case MTC_DEMO_OLD_HELLO_HANDSHAKE_FAILURE:
    case MTC_DEMO_HELLO_HANDSHAKE_FAILURE:
      gnutls_alert_send (conn->session, GNUTLS_AL_FATAL, GNUTLS_A_HANDSHAKE_FAILURE);
      break;
    case MTC_DEMO_OLD_HELLO_CLOSE:
    default:
      break;
    }
  mtc_demo_connection_close (conn);
}

/* The STARTTLS OK went out alone; a moment later a reply nobody asked for,
 * in a write of its own, then TLS. */
void
mtc_demo_misbehaviour_send_late_injection (Connection *conn)
{
  conn->once_delay_ms = LATE_INJECTION_MS;
  switch (conn->config.protocol)
    {
    case MTC_PROTOCOL_SMTP:
      mtc_demo_connection_send_text (conn, NEXT_START_TLS, "250 injected\r\n");
      break;
    case MTC_PROTOCOL_IMAP:
      mtc_demo_connection_send_text (conn, NEXT_START_TLS, "* OK injected\r\n");
      break;
    case MTC_PROTOCOL_POP3:
    default:
      mtc_demo_connection_send_text (conn, NEXT_START_TLS, "+OK injected\r\n");
      break;
    }
}
