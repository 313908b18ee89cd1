package report_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"bonafide/detect"
	"bonafide/detect/report"
)

var (
	pngOut   = flag.String("png", "", "also write the sample report's screenshot to this PNG file (for docs/report.png)")
	shotsDir = flag.String("shots", "", "also write every case's screenshot into this directory, to look at")
)

// chromiumPath finds Debian's chromium, or "" when it is not installed.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// browserResult is what a headless Chromium saw loading a page.
type browserResult struct {
	png       []byte
	requests  []string // every URL the page asked for, the page itself included
	console   []string // console messages, exceptions and browser log entries of level warning or error
	textWidth int64    // document width in CSS pixels, to catch overflow
}

// startChromium starts a fresh headless Chromium (its own profile, the
// network cut off, nothing in the background) and returns its context;
// every page loaded from it opens in a new tab of the same browser.
func startChromium(t *testing.T, width int64) context.Context {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		t.Skip("chromium is not installed (apt-get install -y chromium); the browser test needs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("force-color-profile", "srgb"),
		// Nothing resolves: a request that slipped past the offline
		// emulation still could not leave the machine.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		chromedp.WindowSize(int(width), 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// loadInChromium opens file in a new tab of the browser, width CSS pixels
// wide, records every request and console message, and takes a screenshot
// of the whole page (full) or of the first screen (900 pixels high). A
// full page is slow to paint in software, so only one case takes it.
func loadInChromium(t *testing.T, browser context.Context, file string, width int64, full, print bool) browserResult {
	t.Helper()
	bctx, cancel := chromedp.NewContext(browser)
	defer cancel()

	var mu sync.Mutex
	var res browserResult
	// Start the browser and subscribe before anything loads.
	if err := chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			res.requests = append(res.requests, e.Request.URL)
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			res.console = append(res.console, string(e.Type)+": "+strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			res.console = append(res.console, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				res.console = append(res.console, string(e.Entry.Level)+": "+e.Entry.Source.String()+": "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable log events: %v", err)
	}
	if _, err := chromedp.Call(bctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable runtime events: %v", err)
	}
	if _, err := chromedp.Call(bctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("cut the network: %v", err)
	}

	if print {
		if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatalf("emulate print: %v", err)
		}
	}
	start := time.Now()
	u := url.URL{Scheme: "file", Path: file}
	if err := chromedp.Do(bctx,
		chromedp.EmulateViewport(width, 900),
		chromedp.Navigate(u.String()),
	); err != nil {
		t.Fatalf("load %s: %v", u.String(), err)
	}
	w, err := chromedp.Run(bctx, chromedp.Evaluate[int64]("document.documentElement.scrollWidth"))
	if err != nil {
		t.Fatalf("measure page: %v", err)
	}
	loaded := time.Now()
	shoot := chromedp.CaptureScreenshot()
	if full {
		shoot = chromedp.FullScreenshot(100)
	}
	shot, err := chromedp.Run(bctx, shoot)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("load %v, screenshot %v", loaded.Sub(start).Round(time.Millisecond), time.Since(loaded).Round(time.Millisecond))
	// Let late events (a lazy request, a deferred error) arrive.
	if err := chromedp.Do(bctx, chromedp.Sleep(300*time.Millisecond)); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("wait: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	res.png = shot
	res.textWidth = w
	return res
}

// TestHTMLInChromium loads the rendered page in a real headless Chromium
// with the network off: the page must request nothing but itself, log no
// error, fit its width and paint a real picture (many colours, much ink).
func TestHTMLInChromium(t *testing.T) {
	cases := []struct {
		name   string
		report detect.Report
		width  int64
		// minimum share of non-background pixels and number of distinct colours
		minInk    float64
		minColors int
		full      bool // screenshot the whole page, not the first screen
		print     bool // as printed (@media print)
	}{
		{"sample", sampleReport(), 1100, 0.25, 200, true, false},
		{"sample narrow", sampleReport(), 420, 0.25, 200, false, false},
		{"sample printed", sampleReport(), 800, 0.1, 200, false, true},
		{"from json", fromJSON(t, sampleReport()), 1100, 0.2, 50, false, false},
	}
	started := time.Now()
	browser := startChromium(t, 1100)
	t.Logf("chromium started in %v", time.Since(started).Round(time.Millisecond))

	// The control: a page that does fetch from outside and logs an error
	// must be caught, or the checks below prove nothing.
	t.Run("control", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "report.html")
		page := `<!DOCTYPE html><html><head><title>x</title>` +
			`<link rel="stylesheet" href="https://cdn.example.invalid/style.css"></head>` +
			`<body><p>x</p><script>console.error("boom")</script></body></html>`
		if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		res := loadInChromium(t, browser, file, 800, false, false)
		if !slices.Contains(res.requests, "https://cdn.example.invalid/style.css") {
			t.Errorf("the outside request was not seen; requests: %q", res.requests)
		}
		if !slices.ContainsFunc(res.console, func(m string) bool { return strings.Contains(m, "boom") }) {
			t.Errorf("the console error was not seen; console: %q", res.console)
		}
	})

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.HTML(&buf, tc.report); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			res := loadInChromium(t, browser, file, tc.width, tc.full, tc.print)

			for _, u := range res.requests {
				if !strings.HasPrefix(u, "file://") || !strings.HasSuffix(u, "/report.html") {
					t.Errorf("page requested %q; a report must fetch nothing", u)
				}
			}
			if len(res.requests) == 0 {
				t.Error("saw no request at all, not even the page: the network events were not recorded")
			}
			for _, m := range res.console {
				t.Errorf("console: %s", m)
			}
			if res.textWidth > tc.width {
				t.Errorf("page is %d px wide in a %d px window: something overflows", res.textWidth, tc.width)
			}

			img, err := png.Decode(bytes.NewReader(res.png))
			if err != nil {
				t.Fatalf("decode screenshot: %v", err)
			}
			ink, colors := inkAndColors(img)
			t.Logf("screenshot %dx%d, %.0f%% non-background, %d colours, %d bytes",
				img.Bounds().Dx(), img.Bounds().Dy(), ink*100, colors, len(res.png))
			if ink < tc.minInk {
				t.Errorf("only %.1f%% of the screenshot differs from the background; want at least %.0f%%", ink*100, tc.minInk*100)
			}
			if colors < tc.minColors {
				t.Errorf("screenshot has %d distinct colours; want at least %d", colors, tc.minColors)
			}
			if *shotsDir != "" {
				name := strings.ReplaceAll(tc.name, " ", "_") + ".png"
				if err := os.WriteFile(filepath.Join(*shotsDir, name), res.png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestHTMLScreenshotForDocs writes the README's screenshot when run with
// -png FILE: the top of the sample report (verdict, key figures, reasons
// and the first charts) at 960 CSS pixels, in 256 colours so that it stays
// small:
//
//	go test ./detect/report -run ScreenshotForDocs -args -png "$PWD/docs/report.png"
func TestHTMLScreenshotForDocs(t *testing.T) {
	if *pngOut == "" {
		t.Skip("run with -png FILE to write the README screenshot")
	}
	var buf bytes.Buffer
	if err := report.HTML(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res := loadInChromium(t, startChromium(t, 960), file, 960, true, false)
	img, err := png.Decode(bytes.NewReader(res.png))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	b := img.Bounds()
	b.Max.Y = min(b.Max.Y, b.Min.Y+2250)
	small := paletted(img, b, 256)
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, small); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*pngOut, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %dx%d, %d bytes", *pngOut, b.Dx(), b.Dy(), out.Len())
}

// paletted reduces the part b of img to at most n colours: pixels are
// grouped in buckets of similar colour (16 levels a channel), the n
// fullest buckets give the palette (their mean colours), and each pixel
// takes the nearest. A page is mostly flat colour, so this stays sharp
// where dithering would add noise and bytes, and gradients keep their
// steps.
func paletted(img image.Image, b image.Rectangle, n int) *image.Paletted {
	type sum struct{ r, g, b, n int }
	buckets := map[uint16]*sum{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			k := uint16(c.R>>4)<<8 | uint16(c.G>>4)<<4 | uint16(c.B>>4)
			s := buckets[k]
			if s == nil {
				s = &sum{}
				buckets[k] = s
			}
			s.r, s.g, s.b, s.n = s.r+int(c.R), s.g+int(c.G), s.b+int(c.B), s.n+1
		}
	}
	keys := make([]uint16, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if a, b := buckets[keys[i]].n, buckets[keys[j]].n; a != b {
			return a > b
		}
		return keys[i] < keys[j]
	})
	var pal color.Palette
	for _, k := range keys[:min(n, len(keys))] {
		s := buckets[k]
		pal = append(pal, color.RGBA{uint8(s.r / s.n), uint8(s.g / s.n), uint8(s.b / s.n), 255})
	}
	out := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), pal)
	cache := map[color.RGBA]uint8{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			i, ok := cache[c]
			if !ok {
				i = uint8(pal.Index(c))
				cache[c] = i
			}
			out.SetColorIndex(x-b.Min.X, y-b.Min.Y, i)
		}
	}
	return out
}

// inkAndColors returns the share of pixels that differ from the page's
// background (its most common colour) and the number of distinct colours,
// over every third pixel of every third row (a full page is millions of
// pixels, and slow to count under -race). A blank page, or one whose
// content failed to paint, scores near zero on both.
func inkAndColors(img image.Image) (float64, int) {
	const stride = 3
	b := img.Bounds()
	colors := map[uint32]int{}
	total := 0
	m, nrgba := img.(*image.NRGBA) // what Chromium's PNG decodes to: read the bytes, not At
	for y := b.Min.Y; y < b.Max.Y; y += stride {
		for x := b.Min.X; x < b.Max.X; x += stride {
			var c uint32
			if nrgba {
				i := m.PixOffset(x, y)
				c = uint32(m.Pix[i])<<16 | uint32(m.Pix[i+1])<<8 | uint32(m.Pix[i+2])
			} else {
				r, g, bl, _ := img.At(x, y).RGBA()
				c = (r>>8)<<16 | (g>>8)<<8 | bl>>8
			}
			colors[c]++
			total++
		}
	}
	background := 0
	for _, n := range colors {
		background = max(background, n)
	}
	return float64(total-background) / float64(max(total, 1)), len(colors)
}
