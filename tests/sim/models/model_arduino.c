/*
 * Arduino running-firmware model (see model_arduino.h).
 */
#include <glib.h>

#include "model_arduino.h"

struct arduino_fw_model {
    struct tty_model_base base;   /* base.lock guards everything below */
    bool armed;                   /* the 1200-baud task is queued */
    uint64_t armed_us;
    bool dtr;
};

static void on_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len,
                    unsigned baud)
{
    (void)port;
    (void)buf;
    (void)baud;
    struct arduino_fw_model *m = ctx;
    tty_model_data_fault(&m->base, len);
}

static void on_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev)
{
    struct arduino_fw_model *m = ctx;
    bool reboot = false;
    pthread_mutex_lock(&m->base.lock);
    if (ev->type == TTYSIM_EV_REMOVED)
        m->base.dead = true;
    m->dtr = ev->dtr;
    if (ev->type == TTYSIM_EV_BAUD && ev->baud == 1200 && !m->armed) {
        m->armed = true;
        m->armed_us = ev->time_us;
    }
    if (m->armed && !m->dtr && !m->base.dead) {
        uint64_t due = m->armed_us + ARDUINO_TOUCH_DELAY_MS * 1000u;
        uint64_t now = tty_model_now_us();
        if (now >= due) {
            reboot = true;
            m->armed = false;
        } else {
            ttysim_set_timer(port, (unsigned)((due - now + 999) / 1000));
        }
    }
    pthread_mutex_unlock(&m->base.lock);
    if (reboot)
        tty_model_reboot(&m->base, "touch-1200");
}

struct arduino_fw_model *arduino_fw_add(UMockdevTestbed *tb, const struct arduino_fw_config *cfg)
{
    struct arduino_fw_model *m = g_new0(struct arduino_fw_model, 1);
    tty_model_base_init(&m->base, cfg->fault, &cfg->hooks);

    struct ttysim_config pc = cfg->port;
    pc.vid = pc.vid ? pc.vid : ARDUINO_VID;
    pc.pid = pc.pid ? pc.pid : ARDUINO_PID_OPENMV;
    pc.manufacturer = pc.manufacturer ? pc.manufacturer : "Arduino";
    pc.product = pc.product ? pc.product : "Portenta H7";
    pc.serial = pc.serial ? pc.serial : "000000000000";
    pc.cb.event = on_event;
    pc.cb.data = on_data;
    pc.ctx = m;
    pthread_mutex_lock(&m->base.lock);
    m->base.port = ttysim_add(tb, &pc);
    pthread_mutex_unlock(&m->base.lock);
    if (!m->base.port) {
        tty_model_base_destroy(&m->base);
        g_free(m);
        return NULL;
    }
    return m;
}

struct ttysim *arduino_fw_port(struct arduino_fw_model *m)
{
    return m->base.port;
}

void arduino_fw_get_stats(struct arduino_fw_model *m, struct arduino_fw_stats *st)
{
    pthread_mutex_lock(&m->base.lock);
    st->common = m->base.stats;
    st->armed_time_us = m->armed_us;
    pthread_mutex_unlock(&m->base.lock);
}

void arduino_fw_free(struct arduino_fw_model *m)
{
    if (!m)
        return;
    ttysim_free(m->base.port);
    tty_model_base_destroy(&m->base);
    g_free(m);
}
