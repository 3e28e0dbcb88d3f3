/* racer.h - the live attacker every racer test runs: a thread that swaps
 * two names with renameat2(RENAME_EXCHANGE) in a loop while the code under
 * attack works, paused between rounds so each round starts from a known
 * tree. */
#ifndef SLINK_TEST_ATTACK_RACER_H
#define SLINK_TEST_ATTACK_RACER_H

/* Start the thread; it swaps A and B (paths, copied) only while running.
 * REST_NS: its pause after each swap (hammering the directory's lock
 * without one would mostly make the code under attack wait for it). */
void racer_start(const char *a, const char *b, long rest_ns);
/* Swap from now on. */
void racer_go(void);
/* Stop swapping and wait until no swap is under way. */
void racer_hold(void);
/* End the thread; returns the swaps that happened. */
long racer_stop(void);

#endif
