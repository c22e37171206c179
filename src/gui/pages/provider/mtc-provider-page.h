/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-page.h"

G_BEGIN_DECLS

#define MTC_TYPE_PROVIDER_PAGE (mtc_provider_page_get_type ())
G_DECLARE_FINAL_TYPE (MtcProviderPage, mtc_provider_page, MTC, PROVIDER_PAGE, MtcPage)

MtcPage *mtc_provider_page_new (MtcSession *session);

G_END_DECLS
