/* i18n.c - locale and text-domain setup. */
#include "i18n.h"

#include <locale.h>

/* Bind the message catalogue; a no-op when built with --disable-nls. */
void
aurae_i18n_init(void)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
}
