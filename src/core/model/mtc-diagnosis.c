/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-diagnosis.h"
#include "mtc-enums.h"

G_DEFINE_BOXED_TYPE (MtcDiagnosis, mtc_diagnosis, mtc_diagnosis_ref, mtc_diagnosis_unref)

/* The nick of @value in the enumeration @enum_type, or NULL when it has none. */
const char *
mtc_enum_get_nick (GType enum_type,
                   int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (enum_type);
  const GEnumValue *enum_value = g_enum_get_value (enum_class, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

/* "1.0" … "1.3", or NULL for MTC_TLS_UNKNOWN. */
const char *
mtc_tls_version_to_string (MtcTlsVersion version)
{
  if (version < 0 || version >= MTC_N_TLS_VERSIONS)
    return NULL;
  return mtc_enum_get_nick (MTC_TYPE_TLS_VERSION, version);
}

MtcTlsVersion
mtc_tls_version_from_string (const char *text)
{
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    if (g_strcmp0 (text, mtc_tls_version_to_string (i)) == 0)
      return i;
  return MTC_TLS_UNKNOWN;
}

const char *
mtc_version_result_to_string (MtcVersionResult result)
{
  g_return_val_if_fail (result <= MTC_VERSION_ERROR, NULL);
  return mtc_enum_get_nick (MTC_TYPE_VERSION_RESULT, result);
}

const char *
mtc_login_to_string (MtcLogin login)
{
  g_return_val_if_fail (login <= MTC_LOGIN_NOT_OFFERED, NULL);
  return mtc_enum_get_nick (MTC_TYPE_LOGIN, login);
}

const char *
mtc_status_to_string (MtcStatus status)
{
  g_return_val_if_fail (status < MTC_N_STATUSES, NULL);
  return mtc_enum_get_nick (MTC_TYPE_STATUS, status);
}

/* A short phrase for the text report's status column. */
const char *
mtc_status_describe (MtcStatus status)
{
  switch (status)
    {
    case MTC_STATUS_OK:
      return C_("status", "works");
    case MTC_STATUS_REFUSED:
      return C_("status", "refused");
    case MTC_STATUS_UNREACHABLE:
      return C_("status", "unreachable");
    case MTC_STATUS_TIMEOUT:
      return C_("status", "no answer");
    case MTC_STATUS_DNS_ERROR:
      return C_("status", "name lookup failed");
    case MTC_STATUS_NOT_MAIL_SERVER:
      return C_("status", "not a mail server");
    case MTC_STATUS_BUSY:
      return C_("status", "busy");
    case MTC_STATUS_NO_STARTTLS:
      return C_("status", "no encryption offered");
    case MTC_STATUS_INJECTION:
      return C_("status", "tampered reply");
    case MTC_STATUS_PREAUTH:
      return C_("status", "logged in without encryption");
    case MTC_STATUS_TLS_ERROR:
      return C_("status", "encryption failed");
    case MTC_STATUS_NOT_TLS:
      return C_("status", "unencrypted port");
    case MTC_N_STATUSES:
    default:
      g_return_val_if_reached (NULL);
    }
}

int
mtc_status_rank (MtcStatus status)
{
  /* Findings about the server's behaviour outrank transport failures, which
   * outrank a plain "ok" from a sibling probe. */
  static const int rank[MTC_N_STATUSES] = {
    [MTC_STATUS_OK] = 0,
    [MTC_STATUS_TIMEOUT] = 1,
    [MTC_STATUS_REFUSED] = 2,
    [MTC_STATUS_UNREACHABLE] = 2,
    [MTC_STATUS_DNS_ERROR] = 3,
    [MTC_STATUS_BUSY] = 4,
    [MTC_STATUS_TLS_ERROR] = 5,
    [MTC_STATUS_NOT_TLS] = 6,
    [MTC_STATUS_NOT_MAIL_SERVER] = 7,
    [MTC_STATUS_NO_STARTTLS] = 8,
    [MTC_STATUS_PREAUTH] = 9,
    [MTC_STATUS_INJECTION] = 10,
  };
  g_return_val_if_fail (status < MTC_N_STATUSES, 0);
  return rank[status];
}

GStrv
mtc_certificate_flags_to_strv (GTlsCertificateFlags flags)
{
  static const struct { GTlsCertificateFlags flag; const char *name; } names[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown-ca" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "bad-identity" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not-activated" },
    { G_TLS_CERTIFICATE_EXPIRED, "expired" },
    { G_TLS_CERTIFICATE_REVOKED, "revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "insecure" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "generic-error" },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (flags & names[i].flag)
      g_strv_builder_add (builder, names[i].name);
  return g_strv_builder_end (builder);
}

MtcCertInfo *
mtc_cert_info_new_from_certificate (GTlsCertificate     *certificate,
                                    GTlsCertificateFlags errors)
{
  MtcCertInfo *info = g_new0 (MtcCertInfo, 1);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  info->certificate = g_object_ref (certificate);
  info->errors = errors;
  g_object_get (certificate,
                "subject-name", &info->subject,
                "issuer-name", &info->issuer,
                "not-valid-before", &info->not_before,
                "not-valid-after", &info->not_after,
                "dns-names", &names,
                NULL);
  for (guint i = 0; names && i < names->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (names, i);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autofree char *name = g_strndup (data, len);

      if (g_utf8_validate (name, -1, NULL))
        g_strv_builder_add (builder, name);
    }
  info->dns_names = g_strv_builder_end (builder);
  return info;
}

void
mtc_cert_info_free (MtcCertInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_strfreev (info->dns_names);
  g_clear_object (&info->certificate);
  g_free (info);
}

MtcAddressFailure *
mtc_address_failure_new (const char *address,
                         MtcStatus   status,
                         const char *detail)
{
  MtcAddressFailure *failure = g_new0 (MtcAddressFailure, 1);

  failure->address = g_strdup (address);
  failure->status = status;
  failure->detail = g_strdup (detail);
  return failure;
}

void
mtc_address_failure_free (MtcAddressFailure *failure)
{
  if (failure == NULL)
    return;
  g_free (failure->address);
  g_free (failure->detail);
  g_free (failure);
}

MtcEndpointResult *
mtc_endpoint_result_new (const MtcEndpoint *endpoint)
{
  MtcEndpointResult *result = g_new0 (MtcEndpointResult, 1);

  result->endpoint = mtc_endpoint_copy (endpoint);
  result->status = MTC_STATUS_OK;
  result->negotiated_version = MTC_TLS_UNKNOWN;
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    result->versions[i] = MTC_VERSION_NOT_TESTED;
  return result;
}

void
mtc_endpoint_result_free (MtcEndpointResult *result)
{
  if (result == NULL)
    return;
  mtc_endpoint_free (result->endpoint);
  g_free (result->address);
  g_clear_pointer (&result->address_failures, g_ptr_array_unref);
  g_free (result->detail);
  g_free (result->server_words);
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    g_free (result->version_details[i]);
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    g_free (result->version_reasons[i]);
  g_free (result->negotiated_cipher);
  g_free (result->negotiated_error);
  mtc_cert_info_free (result->certificate);
  g_free (result);
}

gboolean
mtc_endpoint_result_any_accepted (const MtcEndpointResult *result)
{
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    if (result->versions[i] == MTC_VERSION_ACCEPTED)
      return TRUE;
  return FALSE;
}

MtcLocalInfo *
mtc_local_info_new (void)
{
  return g_new0 (MtcLocalInfo, 1);
}

void
mtc_local_info_free (MtcLocalInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->os);
  g_free (info->tls_library);
  g_free (info);
}

MtcDiagnosis *
mtc_diagnosis_new (void)
{
  MtcDiagnosis *diagnosis = g_new0 (MtcDiagnosis, 1);

  diagnosis->ref_count = 1;
  diagnosis->results = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_result_free);
  return diagnosis;
}

MtcDiagnosis *
mtc_diagnosis_ref (MtcDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  g_atomic_int_inc (&diagnosis->ref_count);
  return diagnosis;
}

void
mtc_diagnosis_unref (MtcDiagnosis *diagnosis)
{
  g_return_if_fail (diagnosis != NULL);
  if (!g_atomic_int_dec_and_test (&diagnosis->ref_count))
    return;
  mtc_local_info_free (diagnosis->local);
  g_ptr_array_unref (diagnosis->results);
  g_free (diagnosis);
}

/* Exit status 1 material: an endpoint that could not be used securely. */
gboolean
mtc_diagnosis_has_problem (const MtcDiagnosis *diagnosis)
{
  for (guint i = 0; i < diagnosis->results->len; i++)
    {
      const MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, i);

      if (result->status != MTC_STATUS_OK)
        return TRUE;
      if (result->certificate != NULL && result->certificate->errors != 0)
        return TRUE;
    }
  return FALSE;
}


/* A boxed type, so that signals carry an endpoint result typed. */
G_DEFINE_BOXED_TYPE (MtcEndpointResult, mtc_endpoint_result, mtc_endpoint_result_copy, mtc_endpoint_result_free)

static MtcCertInfo *
copy_cert_info (const MtcCertInfo *info)
{
  MtcCertInfo *copy = g_new0 (MtcCertInfo, 1);

  copy->subject = g_strdup (info->subject);
  copy->issuer = g_strdup (info->issuer);
  copy->not_before = info->not_before ? g_date_time_ref (info->not_before) : NULL;
  copy->not_after = info->not_after ? g_date_time_ref (info->not_after) : NULL;
  copy->dns_names = g_strdupv (info->dns_names);
  copy->errors = info->errors;
  copy->certificate = info->certificate ? g_object_ref (info->certificate) : NULL;
  return copy;
}

static GPtrArray *
copy_address_failures (const GPtrArray *failures)
{
  GPtrArray *copy = g_ptr_array_new_full (failures->len, (GDestroyNotify) mtc_address_failure_free);

  for (guint i = 0; i < failures->len; i++)
    {
      const MtcAddressFailure *failure = g_ptr_array_index (failures, i);

      g_ptr_array_add (copy, mtc_address_failure_new (failure->address, failure->status, failure->detail));
    }
  return copy;
}

/* A deep copy: every string, the address failures and the certificate's
 * facts (the certificate and the dates are shared, they are immutable). */
MtcEndpointResult *
mtc_endpoint_result_copy (const MtcEndpointResult *result)
{
  MtcEndpointResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = mtc_endpoint_result_new (result->endpoint);
  copy->address = g_strdup (result->address);
  copy->address_failures = result->address_failures ? copy_address_failures (result->address_failures) : NULL;
  copy->status = result->status;
  copy->detail = g_strdup (result->detail);
  copy->server_words = g_strdup (result->server_words);
  for (int i = 0; i < MTC_N_TLS_VERSIONS; i++)
    {
      copy->versions[i] = result->versions[i];
      copy->version_details[i] = g_strdup (result->version_details[i]);
      copy->version_reasons[i] = g_strdup (result->version_reasons[i]);
    }
  copy->negotiated_version = result->negotiated_version;
  copy->negotiated_cipher = g_strdup (result->negotiated_cipher);
  copy->negotiated_error = g_strdup (result->negotiated_error);
  copy->certificate = result->certificate ? copy_cert_info (result->certificate) : NULL;
  copy->login = result->login;
  copy->login_without_tls = result->login_without_tls;
  copy->elapsed_ms = result->elapsed_ms;
  return copy;
}
