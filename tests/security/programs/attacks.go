// The isolation suite's attack program for Go: stdin names what to do (see attacks.c).
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

func count(dir string, digits bool) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range entries {
		if digits && (e.Name()[0] < '0' || e.Name()[0] > '9') {
			continue
		}
		n++
	}
	return n
}

func reach(addr string) string {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "blocked"
	}
	c.Close()
	return "connected"
}

func main() {
	var cmd string
	var port int
	fmt.Scan(&cmd, &port)
	switch cmd {
	case "probe":
		fmt.Println(count("/proc", true), count(".", false), count("/dev/shm", false))
	case "memory":
		var keep [][]byte
		for {
			b := make([]byte, 1<<20)
			for i := range b {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case "flood":
		w := bufio.NewWriter(os.Stdout)
		for {
			w.WriteString("flood flood flood flood\n")
		}
	case "files":
		refused := 0
		for _, p := range []string{"/x", "/usr/x", "/etc/x", "/arbiter/x", "/proc/x"} {
			if f, err := os.Create(p); err != nil {
				refused++
			} else {
				f.Close()
			}
		}
		os.WriteFile("left-behind", []byte("x"), 0644)
		os.WriteFile("/dev/shm/left-behind", []byte("x"), 0644)
		fmt.Println("refused", refused)
	case "net":
		fmt.Println(reach(fmt.Sprintf("127.0.0.1:%d", port)), reach("1.1.1.1:53"))
	case "fork":
		for {
			c := exec.Command(os.Args[0])
			c.Stdin = strings.NewReader("fork")
			c.Start()
		}
	}
}
