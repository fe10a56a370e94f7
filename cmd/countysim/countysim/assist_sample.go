package countysim

import (
	"encoding/json"
	"fmt"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// Places and matters of SampleAssistCatalog, for tests of the assist
// queue here and in kiosk/backend.
const (
	SampleCounty      = "zm-county"  // 中牟县政务服务中心
	SampleBaisha      = "zm-bsz"     // 白沙镇便民服务中心
	SampleDongBaisha  = "zm-bsz-dbs" // 白沙镇东白沙村便民服务站, in 白沙镇
	SampleHansi       = "zm-hsz"     // 韩寺镇便民服务中心
	SampleHansiVil    = "zm-hsz-hs"  // 韩寺镇韩寺村便民服务站, in 韩寺镇
	SampleHallBaisha  = "bsz"        // the hall of 白沙镇, its township 白沙镇
	SampleVillageWork = "sb-cx-rz"   // home visit, done at village stations
	SampleTownWork    = "sb-sbk-bh"  // home visit, done at township centres only
	SampleNoVisit     = "yb-cb-cx"   // no home visit
)

// SampleAssistCatalog returns the built-in catalog as JSON with what the
// assist queue routes by: a county centre, two townships with a village
// station each, hall SampleHallBaisha in 白沙镇, and three matters
// (SampleVillageWork, SampleTownWork, SampleNoVisit). Publish it (any
// signature text) and countysim judges assist requests by it.
func SampleAssistCatalog() ([]byte, error) {
	c, err := catalog.Default()
	if err != nil {
		return nil, fmt.Errorf("countysim: sample assist catalog: %w", err)
	}
	h := catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "17:30"}}}
	c.Places = []catalog.Place{
		{ID: SampleCounty, Level: catalog.LevelCounty, Name: "中牟县政务服务中心", Address: "中牟县商都大道与青年路交叉口东北角",
			Phone: "0371-62112345", Hours: catalog.Hours{Always: true}},
		{ID: SampleBaisha, Level: catalog.LevelTownship, Name: "白沙镇便民服务中心", Address: "中牟县白沙镇白沙大道",
			Phone: "0371-62345678", Hours: h},
		{ID: SampleDongBaisha, Level: catalog.LevelVillage, Name: "白沙镇东白沙村便民服务站", Township: SampleBaisha,
			Address: "中牟县白沙镇东白沙村村委会", Phone: "0371-62340001", Hours: h},
		{ID: SampleHansi, Level: catalog.LevelTownship, Name: "韩寺镇便民服务中心", Address: "中牟县韩寺镇政府路9号", Hours: h},
		{ID: SampleHansiVil, Level: catalog.LevelVillage, Name: "韩寺镇韩寺村便民服务站", Township: SampleHansi,
			Address: "中牟县韩寺镇韩寺村", Hours: h},
	}
	for i := range c.Halls {
		if c.Halls[i].ID == SampleHallBaisha {
			c.Halls[i].Township = SampleBaisha
		}
	}
	for id, where := range map[string][]string{
		SampleVillageWork: {catalog.WhereKiosk, catalog.WhereVillage, catalog.WhereTownship},
		SampleTownWork:    {catalog.WhereKiosk, catalog.WhereTownship, catalog.WhereCounty},
		SampleNoVisit:     {catalog.WhereKiosk, catalog.WhereApp},
	} {
		s := c.Service(id)
		if s == nil {
			return nil, fmt.Errorf("countysim: sample assist catalog: no matter %s", id)
		}
		s.Where, s.HomeVisit = where, id != SampleNoVisit
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("countysim: sample assist catalog: %w", err)
	}
	return b, nil
}
