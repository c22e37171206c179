/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-check-types.h"

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
  copy->elapsed_ms = result->elapsed_ms;
  return copy;
}
