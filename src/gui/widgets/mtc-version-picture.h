/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

#define MTC_TYPE_VERSION_PICTURE (mtc_version_picture_get_type ())
G_DECLARE_FINAL_TYPE (MtcVersionPicture, mtc_version_picture, MTC, VERSION_PICTURE, GtkGrid)

void mtc_version_picture_set (MtcVersionPicture  *self,
                              MtcTlsVersion       client_max,
                              const MtcDiagnosis *diagnosis);

G_END_DECLS
