/* replay.h — openmv-rescue-sim --replay FILE: a virtual device that answers from a recording
 * made by openmv-rescue --record --record-payloads (the format is in the README, "Record and
 * replay").  The recorded USB devices are plugged with the descriptors and strings the product
 * read; each class or vendor request, bulk and interrupt transfer the host makes is compared
 * with the next one recorded and answered as the camera answered then.  Repeated polls (the
 * same request again) are answered again; recorded departures and arrivals happen at their
 * recorded offsets.  The first request that differs is reported on stderr, naming the exchange
 * number, what was recorded and what came, and the replay then answers nothing more. */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stddef.h>

struct usbsim;
struct replay;

/* Load FILE; NULL with the reason in why (one line). */
struct replay *replay_load(const char *file, char *why, size_t why_len);
/* Plug the devices present at the recording's start and schedule the later arrivals;
 * -1 with why. */
int replay_start(struct replay *r, struct usbsim *sim, char *why, size_t why_len);
/* Unplug what is left (before usbsim_free). */
void replay_stop(struct replay *r);
/* Whether a request diverged (the line has been printed); how many exchanges were answered. */
bool replay_diverged(const struct replay *r);
unsigned replay_answered(const struct replay *r);
/* How many of the recording's exchanges the host never asked for. */
unsigned replay_left(const struct replay *r);
void replay_free(struct replay *r);

#endif
