/* model_table.h — the simulator's USB device models, registered in one table that the
 * cameras walk (host/camera.c): each model serves some camera modes, on the cameras whose
 * facts (cameras.c) have it.  A new model is its own file and one line in model_table.c. */
#ifndef MODEL_TABLE_H
#define MODEL_TABLE_H

#include <stdbool.h>

#include "camera_priv.h"
#include "cameras.h"

#define MODEL_MAX_MODES 3

struct camera_model {
	const char *name;                            /* as in tests/sim/README.md */
	enum camera_mode modes[MODEL_MAX_MODES];     /* the modes it serves (unused: CAMERA_OFF) */
	bool (*fits)(const struct camera_type *type); /* NULL: every camera has it */
	struct usbsim_dev *(*plug)(struct camera *cam); /* build the identity, plug it */
};

/* The model that serves mode on a camera of this type; NULL when the camera has none. */
const struct camera_model *camera_model_for(const struct camera_type *type, enum camera_mode mode);

#endif
