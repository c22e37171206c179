/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "mtc-demo-server-private.h"

/* The demo CA and the server certificates it signs (ECDSA always, RSA for
 * the services that accept old clients), and the GnuTLS credentials every
 * service shares. */

#define CA_DN "CN=Mail TLS Check Demo CA,O=Mail TLS Check"
#define SERVER_DN "CN=" SERVER_NAME ",O=Mail TLS Check"
#define CERT_LIFETIME (30 * 24 * 60 * 60)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

/* Helpers */

static gboolean
set_gnutls_error (GError    **error,
                  int         code,
                  const char *what)
{
  g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, "%s: %s", what, gnutls_strerror (code));
  return FALSE;
}

static gboolean
make_key (gnutls_pk_algorithm_t   algorithm,
          unsigned int            bits,
          gnutls_x509_privkey_t  *out_key,
          GError                **error)
{
  g_auto (gnutls_x509_privkey_t) key = NULL;
  int ret;

  ret = gnutls_x509_privkey_init (&key);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_x509_privkey_generate (key, algorithm, bits, 0);
  if (ret != GNUTLS_E_SUCCESS)
    return set_gnutls_error (error, ret, "Cannot generate a key");
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

/* A certificate for @key: the self-signed CA when @issuer is NULL, otherwise
 * a server certificate for the demo names signed by @issuer. */
static gboolean
make_certificate (gnutls_x509_privkey_t   key,
                  gnutls_x509_crt_t       issuer,
                  gnutls_x509_privkey_t   issuer_key,
                  unsigned int            key_usage,
                  gnutls_x509_crt_t      *out_crt,
                  GError                **error)
{
  static const guint8 ipv4_loopback[4] = { 127, 0, 0, 1 };
  static const guint8 ipv6_loopback[16] = { [15] = 1 };
  static const char *const dns_names[] = { "localhost", SERVER_NAME };
  g_auto (gnutls_x509_crt_t) crt = NULL;
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  unsigned int critical = 0;
  const char *error_pos = NULL;
  time_t now = time (NULL);
  int ret;

  ret = gnutls_x509_crt_init (&crt);
  if (ret != GNUTLS_E_SUCCESS)
    return set_gnutls_error (error, ret, "Cannot make a certificate");

  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] = (serial[0] & 0x3f) | 0x40;   /* positive, no leading zero byte */

  ret = gnutls_x509_crt_set_version (crt, 3);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_activation_time (crt, now - 60 * 60);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_expiration_time (crt, now + CERT_LIFETIME);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_dn (crt, issuer == NULL ? CA_DN : SERVER_DN, &error_pos);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_key (crt, key);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_basic_constraints (crt, issuer == NULL, -1);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_key_usage (crt, key_usage);
  if (ret >= 0)
    ret = gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size);
  if (ret >= 0)
    ret = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size);

  if (ret >= 0 && issuer != NULL)
    {
      for (gsize i = 0; ret >= 0 && i < G_N_ELEMENTS (dns_names); i++)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, dns_names[i],
                                                    strlen (dns_names[i]), GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv4_loopback,
                                                    sizeof ipv4_loopback, GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv6_loopback,
                                                    sizeof ipv6_loopback, GNUTLS_FSAN_APPEND);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
      if (ret >= 0)
        {
          key_id_size = sizeof key_id;
          ret = gnutls_x509_crt_get_subject_key_id (issuer, key_id, &key_id_size, &critical);
        }
      if (ret >= 0)
        ret = gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size);
    }

  if (ret >= 0)
    ret = gnutls_x509_crt_sign2 (crt, issuer != NULL ? issuer : crt,
                                 issuer_key != NULL ? issuer_key : key, GNUTLS_DIG_SHA256, 0);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot make a certificate");

  *out_crt = g_steal_pointer (&crt);
  return TRUE;
}

/* Private API */

gboolean
mtc_demo_certificates_make (MtcDemoServer  *self,
                            GError        **error)
{
  gnutls_datum_t pem = { NULL, 0 };
  int ret;

  if (!make_key (GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), &self->ca_key, error)
      || !make_certificate (self->ca_key, NULL, NULL, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN,
                            &self->ca_crt, error)
      || !make_key (GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                    &self->ecdsa_key, error)
      || !make_certificate (self->ecdsa_key, self->ca_crt, self->ca_key, GNUTLS_KEY_DIGITAL_SIGNATURE,
                            &self->ecdsa_crt, error))
    return FALSE;

  ret = gnutls_x509_crt_export2 (self->ca_crt, GNUTLS_X509_FMT_PEM, &pem);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot export the demo CA");
  self->ca_pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);

  ret = gnutls_certificate_allocate_credentials (&self->credentials);
  if (ret >= 0)
    ret = gnutls_certificate_set_x509_key (self->credentials, &self->ecdsa_crt, 1, self->ecdsa_key);
  if (ret >= 0)
    ret = gnutls_certificate_set_known_dh_params (self->credentials, GNUTLS_SEC_PARAM_MEDIUM);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot set up the demo server's credentials");
  return TRUE;
}

/* The RSA certificate for the RSA key exchange and old clients; GnuTLS picks
 * the certificate that suits the negotiated suite. */
gboolean
mtc_demo_certificates_ensure_rsa (MtcDemoServer  *self,
                                  GError        **error)
{
  int ret;

  if (self->rsa_crt != NULL)
    return TRUE;

  if (!make_key (GNUTLS_PK_RSA, 2048, &self->rsa_key, error))
    return FALSE;
  if (!make_certificate (self->rsa_key, self->ca_crt, self->ca_key,
                         GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT, &self->rsa_crt, error))
    {
      g_clear_pointer (&self->rsa_key, gnutls_x509_privkey_deinit);
      return FALSE;
    }
  ret = gnutls_certificate_set_x509_key (self->credentials, &self->rsa_crt, 1, self->rsa_key);
  if (ret < 0)
    return set_gnutls_error (error, ret, "Cannot set up the demo server's RSA certificate");
  return TRUE;
}

void
mtc_demo_certificates_clear (MtcDemoServer *self)
{
  g_clear_pointer (&self->credentials, gnutls_certificate_free_credentials);
  g_clear_pointer (&self->rsa_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->rsa_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->ecdsa_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->ecdsa_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->ca_crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->ca_key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->ca_pem, g_free);
}
