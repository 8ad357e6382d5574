package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one bin/sgconsole serve process under test.
type server struct {
	cmd       *exec.Cmd
	base      string        // http://127.0.0.1:port
	coldStart time.Duration // from exec to the first 200 on /healthz
	out       *bytes.Buffer
	exited    chan struct{} // closed when the process has exited
	waitErr   error
}

// startServer execs bin serve on a free loopback port and times it to its first 200 on /healthz,
// polling every millisecond on a fresh connection.
func startServer(bin string, b *backend) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"serve", "--addr", addr, "--db", b.db, "--key-file", b.keyFile, "--log-level", "error"}, b.serveArgs...)
	s := &server{cmd: exec.Command(bin, args...), base: "http://" + addr, out: &bytes.Buffer{}, exited: make(chan struct{})}
	s.cmd.Env = append(os.Environ(), "SGCONSOLE_ADMIN_PASSWORD="+adminPassword)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.waitErr = s.cmd.Wait(); close(s.exited) }()
	deadline := start.Add(60 * time.Second)
	for {
		if res, err := probe.Get(s.base + "/healthz"); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				s.coldStart = time.Since(start)
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("sgconsole serve exited before answering /healthz (%v):\n%s", s.waitErr, s.out)
		default:
		}
		if time.Now().After(deadline) {
			s.kill()
			return nil, fmt.Errorf("%s/healthz did not answer 200 within a minute; server output:\n%s", s.base, s.out)
		}
		time.Sleep(time.Millisecond)
	}
}

// alive reports an error if the server has exited (crashed) since it started.
func (s *server) alive() error {
	select {
	case <-s.exited:
		return fmt.Errorf("sgconsole serve exited during the run (%v):\n%s", s.waitErr, s.out)
	default:
		return nil
	}
}

// peakRSS is the server's peak resident set size so far (VmHWM), in MB.
func (s *server) peakRSS() (float64, error) {
	if err := s.alive(); err != nil {
		return 0, err
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				return 0, err
			}
			return float64(kb) / 1024, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// stop shuts the server down gracefully (SIGTERM), as an operator would.
func (s *server) stop() error {
	if s.alive() != nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return nil
	case <-time.After(15 * time.Second):
		s.kill()
		return fmt.Errorf("sgconsole serve did not stop within 15 s of SIGTERM")
	}
}

// kill ends the server at once (SIGKILL), as a crash or power cut would end it.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
