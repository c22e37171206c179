/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-page.h"

G_BEGIN_DECLS

#define MTC_TYPE_CHECKING_PAGE (mtc_checking_page_get_type ())
G_DECLARE_FINAL_TYPE (MtcCheckingPage, mtc_checking_page, MTC, CHECKING_PAGE, MtcPage)

MtcPage *mtc_checking_page_new (MtcSession *session);

G_END_DECLS
