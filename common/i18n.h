/* i18n.h - gettext wrappers shared by every Aurae program.
 *
 * Messages are written lowercase, with no final full stop, and wrapped in
 * _() so that `make pot` collects them.  N_() marks a string for extraction
 * where it must stay untranslated until use (tables). */
#ifndef AURAE_I18N_H
#define AURAE_I18N_H

#include "config.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#include <locale.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

/* Set the locale from the environment and bind the "aurae" text domain.
 * Every main() calls this first. */
void aurae_i18n_init(void);

#endif
