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
#define _(s) aurae_gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

/* Set the locale from the environment and bind the "aurae" text domain;
 * later calls do nothing.  Every main() calls this first, except where
 * the start is on a hot path (cellrun): there the first _() does it, so
 * that a run that prints nothing never loads the locale (~0.4 ms). */
void aurae_i18n_init(void);

/* gettext(s), after aurae_i18n_init(). */
const char *aurae_gettext(const char *s) __attribute__((format_arg(1)));

#endif
