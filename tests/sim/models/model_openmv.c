/*
 * OpenMV running-firmware model (see model_openmv.h).
 */
#include <string.h>

#include <glib.h>

#include "model_openmv.h"
#include "omv_wire.h"

const uint16_t omv_runtime_pids[OMV_RUNTIME_PID_COUNT] = {
    0x1202, 0x1203, 0x1204, 0x124A, 0x1205, 0x1206, 0x16E3, 0x1060,
};

struct omv_fw_model {
    struct tty_model_base base;   /* base.lock guards everything below */
    unsigned methods;
    enum omv_v1_rx rx;
    bool crashed;                 /* __fatal_error: nothing is heard any more */
    bool dtr;
    unsigned baud;
    /* v1 parser */
    uint8_t v1[6];
    size_t v1_len;
    uint32_t v1_skip;             /* bytes of a host data phase still to swallow */
    /* v2 parser */
    uint8_t v2[OMV_V2_HEADER_SIZE + OMV_V2_MAX_PAYLOAD + 4];
    size_t v2_len;
    uint8_t v2_expected_seq;
    struct omv_fw_stats stats;
};

/* What a parsing pass wants done once the lock is released. */
struct actions {
    const char *reboot;           /* reason, or NULL */
    uint8_t reply[OMV_V2_HEADER_SIZE * 8];
    size_t reply_len;
};

static bool v1_active(const struct omv_fw_model *m)
{
    return (m->methods & OMV_RESET_V1) &&
           (m->baud == OMV_V1_BAUD_SLOW || m->baud == OMV_V1_BAUD_FAST);
}

static bool v2_active(const struct omv_fw_model *m)
{
    return (m->methods & OMV_RESET_V2) && m->baud == OMV_V2_BAUD && m->dtr;
}

/* A whole 6-byte header whose first byte is not 0x30 (the TinyUSB receivers). */
static bool v1_bad_header(struct omv_fw_model *m)
{
    if (m->v1[0] == OMV_V1_HEADER)
        return false;
    m->stats.v1_dropped++;
    if (m->rx == OMV_V1_RX_TINYUSB_FATAL)
        m->crashed = m->stats.crashed = true;
    return true;
}

static void v1_feed(struct omv_fw_model *m, uint8_t b, struct actions *a)
{
    if (m->v1_skip) {
        m->v1_skip--;
        return;
    }
    bool whole_headers = m->rx == OMV_V1_RX_TINYUSB_FATAL || m->rx == OMV_V1_RX_TINYUSB;
    if (m->v1_len == 0 && b != OMV_V1_HEADER && !whole_headers)
        return; /* not a command: REPL input */
    m->v1[m->v1_len++] = b;
    if (m->v1_len < sizeof(m->v1))
        return;
    m->v1_len = 0;
    if (whole_headers && v1_bad_header(m))
        return;
    m->stats.v1_frames++;
    uint8_t cmd = m->v1[1];
    uint32_t length = (uint32_t)m->v1[2] | (uint32_t)m->v1[3] << 8 |
                      (uint32_t)m->v1[4] << 16 | (uint32_t)m->v1[5] << 24;
    if (cmd == OMV_V1_CMD_SYS_RESET_TO_BL)
        a->reboot = "v1";
    else if (cmd == OMV_V1_CMD_SYS_RESET)
        a->reboot = "v1-reset";
    else if (!(cmd & 0x80))
        m->v1_skip = length; /* host-to-device data phase */
}

static void v2_queue_reply(struct actions *a, uint8_t opcode)
{
    size_t n = omv_v2_build(a->reply + a->reply_len, sizeof(a->reply) - a->reply_len, 0, 0,
                            OMV_V2_FLAG_ACK, opcode, NULL, 0);
    a->reply_len += n;
}

static void v2_packet(struct omv_fw_model *m, const struct omv_v2_header *h, struct actions *a)
{
    m->stats.v2_packets++;
    if (h->flags & (OMV_V2_FLAG_ACK | OMV_V2_FLAG_NAK))
        return; /* the host acknowledging us: nothing is ever waiting for it here */
    bool is_sync = h->opcode == OMV_V2_OP_PROTO_SYNC && h->channel == 0 && h->length == 0;
    bool seq_free = is_sync || h->opcode == OMV_V2_OP_SYS_EVENT ||
                    (h->flags & OMV_V2_FLAG_EVENT);
    if (!seq_free && h->seq != m->v2_expected_seq) {
        m->stats.v2_seq_errors++;
        return;
    }
    if (is_sync) {
        m->v2_expected_seq = 0;
        m->stats.v2_syncs++;
        v2_queue_reply(a, OMV_V2_OP_PROTO_SYNC);
        return;
    }
    m->v2_expected_seq++;
    /* System commands are only valid on channel 0. */
    if (h->opcode == OMV_V2_OP_SYS_BOOT && h->channel == 0)
        a->reboot = "v2";
    else if (h->opcode == OMV_V2_OP_SYS_RESET && h->channel == 0)
        a->reboot = "v2-reset";
}

static void v2_consume(struct omv_fw_model *m, size_t n)
{
    memmove(m->v2, m->v2 + n, m->v2_len - n);
    m->v2_len -= n;
}

/* Runs the v2 receiver over the buffered bytes: resynchronise on AA D5, check the header
 * CRC (drop one byte and rescan on mismatch), wait for the payload, check its CRC. */
static void v2_scan(struct omv_fw_model *m, struct actions *a)
{
    for (;;) {
        if (m->v2_len >= 1 && m->v2[0] != 0xAA) {
            v2_consume(m, 1);
            continue;
        }
        if (m->v2_len >= 2 && m->v2[1] != 0xD5) {
            v2_consume(m, 1);
            continue;
        }
        if (m->v2_len < OMV_V2_HEADER_SIZE)
            return;
        struct omv_v2_header h;
        omv_v2_parse_header(m->v2, &h);
        if (!h.crc_ok || h.length > OMV_V2_MAX_PAYLOAD) {
            m->stats.v2_bad_crc += !h.crc_ok;
            v2_consume(m, 1);
            continue;
        }
        size_t total = OMV_V2_HEADER_SIZE + (h.length ? (size_t)h.length + 4 : 0);
        if (m->v2_len < total)
            return;
        if (h.length) {
            const uint8_t *t = m->v2 + OMV_V2_HEADER_SIZE + h.length;
            uint32_t got = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 |
                           (uint32_t)t[3] << 24;
            if (got != omv_wire_crc32(OMV_V2_CRC32_INIT, m->v2 + OMV_V2_HEADER_SIZE, h.length)) {
                m->stats.v2_bad_crc++;
                v2_consume(m, total);
                continue;
            }
        }
        v2_consume(m, total);
        v2_packet(m, &h, a);
    }
}

static void act(struct omv_fw_model *m, const struct actions *a)
{
    if (a->reply_len)
        ttysim_send(m->base.port, a->reply, a->reply_len);
    if (a->reboot)
        tty_model_reboot(&m->base, a->reboot);
}

static void on_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len,
                    unsigned baud)
{
    (void)port;
    struct omv_fw_model *m = ctx;
    struct actions a = {0};
    if (tty_model_data_fault(&m->base, len))
        return;
    pthread_mutex_lock(&m->base.lock);
    m->baud = baud;
    /* The STM32 stack: a transfer that does not start a command is not one (REPL input). */
    size_t from = 0;
    if (m->rx == OMV_V1_RX_STMUSB && v1_active(m) && !m->v1_skip && m->v1_len == 0 && len &&
        buf[0] != OMV_V1_HEADER && !v2_active(m)) {
        m->stats.v1_dropped++;
        from = len;
    }
    for (size_t i = from; i < len && !a.reboot && !m->crashed; i++) {
        if (v1_active(m))
            v1_feed(m, buf[i], &a);
        if (v2_active(m) && !a.reboot) {
            if (m->v2_len == sizeof(m->v2))
                v2_consume(m, 1);
            m->v2[m->v2_len++] = buf[i];
            v2_scan(m, &a);
        }
    }
    pthread_mutex_unlock(&m->base.lock);
    act(m, &a);
}

static void on_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev)
{
    (void)port;
    struct omv_fw_model *m = ctx;
    struct actions a = {0};
    pthread_mutex_lock(&m->base.lock);
    if (m->crashed) { /* USB is dead: no line coding reaches the firmware */
        pthread_mutex_unlock(&m->base.lock);
        return;
    }
    m->dtr = ev->dtr;
    m->baud = ev->baud;
    if (ev->type == TTYSIM_EV_REMOVED)
        m->base.dead = true;
    /* Dropping DTR or leaving 921600 deactivates v2 and its receiver. */
    if (!v2_active(m))
        m->v2_len = 0;
    if (!v1_active(m))
        m->v1_len = m->v1_skip = 0;
    if (ev->type == TTYSIM_EV_BAUD && ev->baud == 1200 && (m->methods & OMV_RESET_TOUCH))
        a.reboot = "touch-1200";
    pthread_mutex_unlock(&m->base.lock);
    act(m, &a);
}

struct omv_fw_model *omv_fw_add(UMockdevTestbed *tb, const struct omv_fw_config *cfg)
{
    struct omv_fw_model *m = g_new0(struct omv_fw_model, 1);
    tty_model_base_init(&m->base, cfg->fault, &cfg->hooks);
    m->methods = cfg->reset_methods ? cfg->reset_methods : OMV_RESET_ALL;
    m->rx = cfg->rx;

    struct ttysim_config pc = cfg->port;
    pc.vid = pc.vid ? pc.vid : OMV_VID;
    pc.pid = pc.pid ? pc.pid : 0x1204;
    pc.manufacturer = pc.manufacturer ? pc.manufacturer : "OpenMV";
    pc.product = pc.product ? pc.product : "OpenMV Cam";
    pc.serial = pc.serial ? pc.serial : "000000000000";
    pc.cb.event = on_event;
    pc.cb.data = on_data;
    pc.ctx = m;
    /* The port thread may call back before ttysim_add returns: hold the lock until the
     * model knows its port. */
    pthread_mutex_lock(&m->base.lock);
    m->base.port = ttysim_add(tb, &pc);
    if (m->base.port) {
        struct ttysim_state st;
        ttysim_get_state(m->base.port, &st);
        m->baud = st.baud;
    }
    pthread_mutex_unlock(&m->base.lock);
    if (!m->base.port) {
        tty_model_base_destroy(&m->base);
        g_free(m);
        return NULL;
    }
    return m;
}

struct ttysim *omv_fw_port(struct omv_fw_model *m)
{
    return m->base.port;
}

void omv_fw_get_stats(struct omv_fw_model *m, struct omv_fw_stats *st)
{
    pthread_mutex_lock(&m->base.lock);
    *st = m->stats;
    st->common = m->base.stats;
    pthread_mutex_unlock(&m->base.lock);
}

void omv_fw_free(struct omv_fw_model *m)
{
    if (!m)
        return;
    ttysim_free(m->base.port);
    tty_model_base_destroy(&m->base);
    g_free(m);
}
