package dev.mcu.bench;

import dev.mcu.bench.analysis.Picture;
import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticContent;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.bench.synthetic.VisualCode;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.ViewSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picture quality through the mixer per codec at one bitrate: a viewer sees one other participant's
 * moving texture (camera-like without its noise) as a full-frame tile (no scaling), which went through two encodes (camera to
 * mixer, composite to viewer). The sender draws its frame index instead of a time code, so each
 * received frame is compared with the exact source frame; PSNR of luma, excluding the code band at
 * the top and the name label at the bottom.
 *
 * <p>Usage: quality [seconds] [kbps] [codec...]
 */
final class QualityBench {

    private QualityBench() {
    }

    static void main(String[] args) throws Exception {
        int seconds = BenchMain.intArg(args, 0, 10, 2, 600, "seconds");
        int kbps = BenchMain.intArg(args, 1, 800, 50, 10_000, "kbps");
        List<String> codecs = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("H264", "VP8", "VP9", "AV1");
        for (String codec : codecs) {
            MixerConfig config = MixerConfig.defaults().withVideoCodecs(List.of(codec));
            ViewSpec view = ViewSpec.clamped(config, Layout.GRID, 640, 360, 30, kbps, false, null);
            try (LocalRoom room = new LocalRoom(config)) {
                // A clean moving texture: random noise would cap PSNR for every codec alike.
                SyntheticParticipant.Options options = new SyntheticParticipant.Options(0, 640, 360, 30, 0, true, kbps,
                        List.of(codec), 0);
                SyntheticParticipant sender;
                SyntheticParticipant viewer;
                try {
                    sender = room.join("p0", view, options);
                    viewer = room.join("p1", view, new SyntheticParticipant.Options(1, 640, 360, 30, 0, true, kbps,
                            List.of(codec)));
                } catch (Exception e) {
                    System.out.printf(Locale.ROOT, "quality codec=%s unavailable (%s)%n", codec, e.getMessage());
                    continue;
                }
                sender.codeFrameIndex(true);
                viewer.video().copyEvery(80_000_000L);
                String negotiated = room.room.videoCodec("p1");
                Thread.sleep(3000);
                List<Double> psnr = new ArrayList<>();
                long end = System.currentTimeMillis() + seconds * 1000L;
                Picture last = null;
                while (System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                    Picture p = viewer.video().latest();
                    if (p == null || p == last || p.width() != 640) {
                        continue;
                    }
                    last = p;
                    int index = VisualCode.read(p.y(), p.width(), 0, 0, p.width(), p.height());
                    psnr.add(psnr(p, sender.content(), index));
                }
                psnr.sort(null);
                System.out.printf(Locale.ROOT,
                        "quality codec=%s negotiated=%s kbps=%d medianPsnrDb=%.2f p10PsnrDb=%.2f frames=%d%n",
                        codec, negotiated, kbps, psnr.get(psnr.size() / 2), psnr.get(psnr.size() / 10), psnr.size());
            }
        }
        System.out.printf("reproduce: bin/bench quality %d %d %s%n", seconds, kbps, String.join(" ", codecs));
    }

    /** Luma PSNR of a received full-frame tile against source frame {@code index} of the cycle. */
    static double psnr(Picture received, SyntheticContent content, int index) {
        byte[] source = content.luma(index);
        int w = content.width;
        int top = content.height / 4 + 4;
        int bottom = content.height - 64;
        double sum = 0;
        long n = 0;
        for (int r = top; r < bottom; r++) {
            for (int c = 0; c < w; c++) {
                int d = (received.y()[r * w + c] & 0xff) - (source[r * w + c] & 0xff);
                sum += d * d;
                n++;
            }
        }
        double mse = Math.max(sum / n, 1e-3);
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
