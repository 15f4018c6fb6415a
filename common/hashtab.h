/* hashtab.h - a chained hash table that grows with what it holds.
 *
 * Intrusive: each entry has its own chain pointer (at offset link in the
 * entry), so adding never allocates per entry, and the table never owns
 * its entries.  The table doubles when it holds as many entries as it
 * has chains, so a chain stays about one entry long whatever the count
 * (auraefs holds a node per inode the kernel has seen: tens to millions).
 * A chain is chosen from the top bits of the caller's 64-bit hash times
 * a golden-ratio constant, so hashes that differ only in high bits (inode
 * numbers, say) still spread.  Not locked: the caller serialises. */
#ifndef AURAE_HASHTAB_H
#define AURAE_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

struct hashtab {
	void		**chain;	/* 1 << bits heads */
	unsigned	  bits;
	size_t		  n;		/* entries held */
	size_t		  link;		/* offsetof the entry's chain pointer */
	uint64_t	(*hash)(const void *entry);	/* for growing */
};

/* Make an empty table of entries whose chain pointer is at offset link
 * and whose hash hash() gives.  0, or -1 (ENOMEM). */
int	 hashtab_init(struct hashtab *t, size_t link,
	    uint64_t (*hash)(const void *entry));

/* Free the chains (not the entries). */
void	 hashtab_free(struct hashtab *t);

/* The first entry of the chain of hash h, or NULL; walk on with
 * hashtab_next.  (An entry in that chain may have another hash.) */
void	*hashtab_first(const struct hashtab *t, uint64_t h);
void	*hashtab_next(const struct hashtab *t, const void *entry);

/* Add entry (not in the table).  Doubles the table when it is full; if
 * that allocation fails the table stays as it is, only slower. */
void	 hashtab_add(struct hashtab *t, void *entry);

/* Take entry out.  1 if it was in the table, else 0. */
int	 hashtab_remove(struct hashtab *t, void *entry);

/* For visiting every entry: the number of chains, and the first entry
 * of chain i (i below that number).  Adding may grow the table, so a
 * visit must not add. */
size_t	 hashtab_chains(const struct hashtab *t);
void	*hashtab_chain(const struct hashtab *t, size_t i);

#endif
