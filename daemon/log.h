/* log.h - daemon logging: stderr in the foreground, syslog when detached. */
#ifndef AURAED_LOG_H
#define AURAED_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* Choose the destination and the verbosity (0 = info, 1+ = debug). */
void	log_open(int use_syslog, int verbose);
/* Leave info messages out of stderr (a detaching daemon). */
void	log_set_quiet(int);
/* Close and reopen the destination (SIGHUP). */
void	log_reopen(void);
void	log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_error(...)	log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
