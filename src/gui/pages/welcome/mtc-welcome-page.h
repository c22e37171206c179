/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-page.h"

G_BEGIN_DECLS

#define MTC_TYPE_WELCOME_PAGE (mtc_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (MtcWelcomePage, mtc_welcome_page, MTC, WELCOME_PAGE, MtcPage)

MtcPage *mtc_welcome_page_new (MtcSession *session);

G_END_DECLS
