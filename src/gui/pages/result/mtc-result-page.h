/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-page.h"

G_BEGIN_DECLS

#define MTC_TYPE_RESULT_PAGE (mtc_result_page_get_type ())
G_DECLARE_FINAL_TYPE (MtcResultPage, mtc_result_page, MTC, RESULT_PAGE, MtcPage)

MtcPage *mtc_result_page_new (MtcSession *session);

G_END_DECLS
