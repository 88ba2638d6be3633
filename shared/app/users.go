package app

import "woodshed/shared/httpapi"

var userRules = httpapi.Rules{}

func (a *App) userHandlers(add func(string, httpapi.Func)) {}
